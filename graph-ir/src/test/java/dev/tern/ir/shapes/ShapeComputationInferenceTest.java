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
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shapes computed inside the graph: the contents of small integer tensors followed from Shape
 * through Gather, Slice, Squeeze, Unsqueeze, Concat, Cast and arithmetic, and what the ops that
 * take a shape (ConstantOfShape, Reshape, Expand, Tile, Range) make of them. Each test ends in a
 * ConstantOfShape or another consumer so the followed numbers show up as a type.
 */
class ShapeComputationInferenceTest {

    private static Value scalar(GraphBuilder g, String name, long value) {
        return g.initializer(Tensor.ofLongs(name, new long[0], value));
    }

    private static Value unsqueezed(GraphBuilder g, Value scalar) {
        return g.node("Unsqueeze").inputs(scalar, longs(g, scalar.name() + "_axes", 0)).output();
    }

    @Test
    void shapeStartAndEndPickTheDimensions() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "3", "224", "160");
        Value middle = g.node("Shape").inputs(x).attr("start", 1L).attr("end", -1L).output();
        Value last = g.node("Shape").inputs(x).attr("start", -1L).output();
        Value filled = g.op("ConstantOfShape", middle);
        Value lastFilled = g.op("ConstantOfShape", last);
        g.output(lastFilled);
        cleanly(g, filled, 15);
        assertType("tensor(int64)[2]", middle);
        assertType("tensor(float)[3,224]", filled);
        assertType("tensor(float)[160]", lastFilled);
    }

    @Test
    void gatherTakesScalarVectorAndNegativeIndices() {
        GraphBuilder g = GraphBuilder.create("g");
        Value shape = g.op("Shape", floats(g, "x", "batch", "3", "8", "6"));
        Value width = g.op("Gather", shape, scalar(g, "last", -1));
        Value batchAndChannels = g.op("Gather", shape, longs(g, "first_two", 0, -3));
        Value target = g.node("Concat").inputs(unsqueezed(g, width), batchAndChannels).attr("axis", 0L).output();
        Value filled = g.op("ConstantOfShape", target);
        cleanly(g, filled, 13);
        assertType("tensor(int64)[]", width);
        assertType("tensor(float)[6,batch,3]", filled);
    }

    @Test
    void gatherPastTheEndOfAShapeIsAConflict() {
        GraphBuilder g = GraphBuilder.create("g");
        Value shape = g.op("Shape", floats(g, "x", "batch", "3"));
        Value picked = g.node("Gather").name("pick").inputs(shape, scalar(g, "two", 2)).output();
        g.output(picked);
        Model model = g.toModel(13);

        InferenceReport report = ShapeInference.infer(model);

        assertEquals(1, report.conflicts().size(), report::toString);
        assertEquals("node 'pick' (Gather): index 2 is out of range for a shape of 2 elements",
                report.conflicts().get(0).describe());
    }

    @Test
    void sliceAndSqueezeKeepTheChosenElements() {
        GraphBuilder g = GraphBuilder.create("g");
        Value shape = g.op("Shape", floats(g, "x", "batch", "3", "8", "6"));
        // Shape(x)[3:0:-2] = [6, 3]
        Value reversed = g.op("Slice", shape, longs(g, "starts", 3), longs(g, "ends", 0), longs(g, "axes", 0),
                longs(g, "steps", -2));
        Value first = g.op("Slice", shape, longs(g, "starts0", 0), longs(g, "ends0", 1));
        Value batch = g.op("Squeeze", first, longs(g, "squeeze_axes", 0));
        Value target = g.node("Concat").inputs(reversed, unsqueezed(g, batch)).attr("axis", 0L).output();
        Value filled = g.op("ConstantOfShape", target);
        cleanly(g, filled, 13);
        assertType("tensor(int64)[]", batch);
        assertType("tensor(float)[6,3,batch]", filled);
    }

    @Test
    void castKeepsNumbersTheTargetTypeHoldsAndRoundTripsThroughFloat() {
        GraphBuilder g = GraphBuilder.create("g");
        Value shape = g.op("Shape", floats(g, "x", "batch", "3"));
        Value asFloat = g.node("Cast").inputs(shape).attr("to", (long) ElementType.FLOAT.onnxCode()).output();
        Value back = g.node("Cast").inputs(asFloat).attr("to", (long) ElementType.INT64.onnxCode()).output();
        // 2^32 + 3 wraps to 3 in int32: that number is lost, the 2 survives.
        Value wide = longs(g, "wide", 2, (1L << 32) + 3);
        Value narrow = g.node("Cast").inputs(wide).attr("to", (long) ElementType.INT32.onnxCode()).output();
        Value widened = g.node("Cast").inputs(narrow).attr("to", (long) ElementType.INT64.onnxCode()).output();
        Value filled = g.op("ConstantOfShape", back);
        Value partly = g.op("ConstantOfShape", widened);
        g.output(filled);
        cleanly(g, partly, 13);
        assertType("tensor(float)[batch,3]", filled);
        assertType("tensor(float)[2,?]", partly);
    }

    @Test
    void arithmeticComputesNumbersKeepsNeutralOperationsAndTruncatesDivision() {
        GraphBuilder g = GraphBuilder.create("g");
        Value shape = g.op("Shape", floats(g, "x", "batch", "3", "8"));
        Value tail = g.op("Slice", shape, longs(g, "starts", 1), longs(g, "ends", 3));
        // [3, 8] * 2 + [1, 0] = [7, 16]; then [7, 16] / [2, -3] = [3, -5] (toward zero, not -6) and + [0, 9] = [3, 4].
        Value doubled = g.op("Add", g.op("Mul", tail, scalar(g, "two", 2)), longs(g, "plus", 1, 0));
        Value halved = g.op("Add", g.op("Div", doubled, longs(g, "divisors", 2, -3)), longs(g, "offset", 0, 9));
        Value batch = g.op("Slice", shape, longs(g, "starts0", 0), longs(g, "ends0", 1));
        Value kept = g.op("Sub", g.op("Mul", batch, longs(g, "one", 1)), longs(g, "zero", 0));
        Value lost = g.op("Sub", batch, longs(g, "minus", 1));
        Value target = g.node("Concat").inputs(kept, halved, lost).attr("axis", 0L).output();
        Value filled = g.op("ConstantOfShape", target);
        cleanly(g, filled, 13);
        assertType("tensor(float)[batch,3,4,?]", filled);
    }

    @Test
    void negationCountsTheReducedAxesAsLayerNormalizationsBodyDoes() {
        // ONNX's LayerNormalization function, axis -2: ReducedShape = Concat(Shape(x)[0:-2], ConstantOfShape(-axis, 1)).
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "3", "8");
        Value axis = longs(g, "axis", -2);
        Value prefix = g.op("Slice", g.op("Shape", x), longs(g, "zero", 0), axis);
        Value suffix = g.node("ConstantOfShape").inputs(g.op("Neg", axis))
                .attr("value", Tensor.ofLongs("", new long[] {1}, 1)).output();
        Value reducedShape = g.node("Concat").inputs(prefix, suffix).attr("axis", 0L).output();
        Value reduced = g.op("Reshape", g.node("ReduceMean").inputs(x).ints("axes", -2, -1).output(), reducedShape);
        cleanly(g, reduced, 17);
        assertType("tensor(int64)[3]", reducedShape);
        assertType("tensor(float)[batch,1,1]", reduced);
    }

    @Test
    void constantNodesAndConstantOfShapeOverAPartlyKnownShape() {
        GraphBuilder g = GraphBuilder.create("g");
        Value ints = g.node("Constant").ints("value_ints", 4, 5).output();
        Value tensor = g.node("Constant").attr("value", Tensor.ofInts("", new long[] {1}, 6)).output();
        Value wide = g.node("Cast").inputs(tensor).attr("to", (long) ElementType.INT64.onnxCode()).output();
        Value fromConstants = g.op("ConstantOfShape", g.node("Concat").inputs(ints, wide).attr("axis", 0L).output());
        Value partlyKnown = g.node("ConstantOfShape").inputs(g.op("Shape", floats(g, "x", "?", "3")))
                .attr("value", Tensor.ofLongs("", new long[] {1}, 7)).output();
        g.output(fromConstants);
        cleanly(g, partlyKnown, 13);
        assertType("tensor(float)[4,5,6]", fromConstants);
        assertType("tensor(int64)[?,3]", partlyKnown);
    }
}
