package dev.tern.ir.shapes;

import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tern.ir.shapes.Infer.assertType;
import static dev.tern.ir.shapes.Infer.cleanly;
import static dev.tern.ir.shapes.Infer.floats;
import static dev.tern.ir.shapes.Infer.longs;

class SliceConcatGatherInferenceTest {
    @Test
    void sliceClampsAndStepsAsOnnxDoes() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "10", "20");
        Value y = g.op("Slice", x, longs(g, "starts", 1, -1), longs(g, "ends", 1000, 0),
                longs(g, "axes", 1, 2), longs(g, "steps", 3, -2));
        cleanly(g, y, 13);
        // axis 1: 1, 4, 7 -> 3; axis 2: 19, 17, ..., 1 -> 10
        assertType("tensor(float)[batch,3,10]", y);
    }

    @Test
    void sliceToTheEndKeepsASymbol() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "seq");
        Value y = g.op("Slice", x, longs(g, "starts", 0, 1), longs(g, "ends", Long.MAX_VALUE, Long.MAX_VALUE));
        cleanly(g, y, 13);
        assertType("tensor(float)[batch,?]", y);
    }

    @Test
    void opsetNineSliceReadsAttributes() {
        GraphBuilder g = GraphBuilder.create("g");
        Value y = g.node("Slice").inputs(floats(g, "x", "4", "6")).ints("starts", 1).ints("ends", -1).ints("axes", 1)
                .output();
        cleanly(g, y, 9);
        assertType("tensor(float)[4,4]", y);
    }

    @Test
    void concatAddsAlongTheAxisAndUnifiesTheRest() {
        GraphBuilder g = GraphBuilder.create("g");
        Value y = g.node("Concat").inputs(floats(g, "a", "batch", "3"), floats(g, "b", "?", "5"))
                .attr("axis", -1L).output();
        cleanly(g, y, 13);
        assertType("tensor(float)[batch,8]", y);
    }

    @Test
    void splitIntoEqualPartsOrGivenSizes() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "12");
        List<Value> equal = g.node("Split").inputs(x).attr("axis", 1L).outputs(3);
        List<Value> sized = g.node("Split").inputs(x, longs(g, "split", 2, 10)).attr("axis", 1L).outputs(2);
        equal.forEach(g::output);
        cleanly(g, sized.get(1), 13);
        assertType("tensor(float)[batch,4]", equal.get(2));
        assertType("tensor(float)[batch,2]", sized.get(0));
        assertType("tensor(float)[batch,10]", sized.get(1));
    }

    @Test
    void gatherReplacesTheAxisByTheIndicesShape() {
        GraphBuilder g = GraphBuilder.create("g");
        Value table = g.initializer(Tensor.zeros("table", dev.tern.ir.ElementType.FLOAT, 30522, 384));
        Value ids = g.input("ids", dev.tern.ir.ElementType.INT64, Infer.dims("batch", "seq"));
        Value y = g.op("Gather", table, ids);
        cleanly(g, y, 13);
        assertType("tensor(float)[batch,seq,384]", y);
    }

    @Test
    void constantOfShapeAndRangeReadConstants() {
        GraphBuilder g = GraphBuilder.create("g");
        Value zeros = g.op("ConstantOfShape", longs(g, "shape", 2, 3));
        Value range = g.op("Range", g.initializer(Tensor.ofLongs("start", new long[0], 1)),
                g.initializer(Tensor.ofLongs("limit", new long[0], 10)), g.initializer(Tensor.ofLongs("delta", new long[0], 4)));
        g.output(zeros);
        cleanly(g, range, 13);
        assertType("tensor(float)[2,3]", zeros);
        // 1, 5, 9
        assertType("tensor(int64)[3]", range);
    }
}
