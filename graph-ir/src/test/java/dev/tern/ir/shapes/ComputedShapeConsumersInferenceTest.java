package dev.tern.ir.shapes;

import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.InferenceReport;
import dev.tern.ir.Model;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.shapes.Infer.assertType;
import static dev.tern.ir.shapes.Infer.cleanly;
import static dev.tern.ir.shapes.Infer.floats;
import static dev.tern.ir.shapes.Infer.longs;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Ops that take a computed shape (Expand, Tile, Range, Conv's weight from ConstantOfShape), the
 * patterns exporters write around them, and when an initializer counts as a constant.
 */
class ComputedShapeConsumersInferenceTest {

    private static Value batchOf(GraphBuilder g, Value x) {
        Value batch = g.op("Gather", g.op("Shape", x), g.initializer(Tensor.ofLongs("index0", new long[0], 0)));
        return g.node("Unsqueeze").inputs(batch, longs(g, "axes0", 0)).output();
    }

    /**
     * PyTorch's {@code x.expand(n, -1)}: the -1 entries of the target become 1 through
     * {@code Where(Equal(target, -1), ones, target)}, the ones made by ConstantOfShape.
     */
    private static Value expandLikePyTorch(GraphBuilder g, Value x, Value target) {
        Value ones = g.node("ConstantOfShape").inputs(g.op("Shape", target))
                .attr("value", Tensor.ofLongs("", new long[] {1}, 1)).output();
        Value minusOnes = g.op("Mul", ones, g.initializer(Tensor.ofLongs("minus_one", new long[0], -1)));
        Value keep = g.op("Where", g.op("Equal", target, minusOnes), ones, target);
        return g.op("Expand", x, keep);
    }

    @Test
    void expandToABatchReadWithShapeKeepsTheSymbol() {
        GraphBuilder g = GraphBuilder.create("g");
        Value tokens = floats(g, "tokens", "batch", "seq", "16");
        Value target = g.node("Concat").inputs(batchOf(g, tokens), longs(g, "rest", -1, -1)).attr("axis", 0L).output();
        Value expanded = expandLikePyTorch(g, floats(g, "cls", "1", "1", "16"), target);
        cleanly(g, expanded, 13);
        assertType("tensor(float)[batch,1,16]", expanded);
    }

    @Test
    void anEntryThatMayBeMinusOneStaysUnknown() {
        GraphBuilder g = GraphBuilder.create("g");
        Value tokens = floats(g, "tokens", "batch", "16");
        // batch - 1 may be anything, -1 included; 4 is surely not -1.
        Value smaller = g.op("Sub", batchOf(g, tokens), longs(g, "one", 1));
        Value target = g.node("Concat").inputs(smaller, longs(g, "four", 4)).attr("axis", 0L).output();
        Value expanded = expandLikePyTorch(g, floats(g, "row", "1", "1"), target);
        cleanly(g, expanded, 13);
        assertType("tensor(float)[?,4]", expanded);
    }

    @Test
    void tileByASymbolicCount() {
        GraphBuilder g = GraphBuilder.create("g");
        Value repeats = g.node("Concat").inputs(batchOf(g, floats(g, "x", "batch", "3")), longs(g, "once", 1))
                .attr("axis", 0L).output();
        Value tiled = g.op("Tile", floats(g, "row", "1", "8"), repeats);
        cleanly(g, tiled, 13);
        assertType("tensor(float)[batch,8]", tiled);
    }

    @Test
    void rangeUpToASymbolicLength() {
        GraphBuilder g = GraphBuilder.create("g");
        Value length = g.op("Gather", g.op("Shape", floats(g, "x", "batch", "seq")),
                g.initializer(Tensor.ofLongs("index1", new long[0], 1)));
        Value positions = g.op("Range", g.initializer(Tensor.ofLongs("start", new long[0], 0)), length,
                g.initializer(Tensor.ofLongs("delta", new long[0], 1)));
        cleanly(g, positions, 13);
        assertType("tensor(int64)[seq]", positions);
    }

    /** A model-zoo CNN made light: the weight is ConstantOfShape over a shape initializer that IR 3 lists among the inputs. */
    private static Model lightConv(long irVersion) {
        GraphBuilder g = GraphBuilder.create("light");
        Value x = floats(g, "x", "batch", "3", "32", "32");
        Value weightShape = longs(g, "w__SHAPE", 8, 3, 3, 3);
        Value weight = g.node("ConstantOfShape").inputs(weightShape)
                .attr("value", Tensor.ofFloats("", new long[] {1}, 0.5f)).output("w");
        g.output(g.node("Conv").inputs(x, weight).output("y"));
        Model model = g.toModel(9);
        model.graph().addInput(weightShape);
        model.setIrVersion(irVersion);
        return model;
    }

    @Test
    void beforeIrFourAnInitializerListedAsAnInputIsAConstant() {
        Model model = lightConv(3);
        InferenceReport report = ShapeInference.infer(model);
        assertFalse(report.hasProblems(), report::toString);
        assertType("tensor(float)[8,3,3,3]", model.graph().nodes().get(0).output(0));
        assertType("tensor(float)[batch,8,30,30]", model.graph().outputs().get(0));
    }

    @Test
    void fromIrFourAnInitializerListedAsAnInputMayBeOverridden() {
        Model model = lightConv(4);
        InferenceReport report = ShapeInference.infer(model);
        assertFalse(report.hasProblems(), report::toString);
        assertType("tensor(float)[?,?,?,?]", model.graph().nodes().get(0).output(0));
        assertType("tensor(float)[batch,?,?,?]", model.graph().outputs().get(0));
    }
}
