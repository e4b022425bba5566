package dev.tern.ir.shapes;

import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.shapes.Infer.assertType;
import static dev.tern.ir.shapes.Infer.cleanly;
import static dev.tern.ir.shapes.Infer.floats;
import static dev.tern.ir.shapes.Infer.longs;

class ReshapeInferenceTest {
    @Test
    void zeroCopiesAndMinusOneTakesTheRest() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "2", "3", "4");
        Value y = g.op("Reshape", x, longs(g, "shape", 0, -1, 2));
        cleanly(g, y, 14);
        assertType("tensor(float)[2,6,2]", y);
    }

    @Test
    void symbolsCancelWhenMinusOneIsComputed() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "seq", "384");
        Value y = g.op("Reshape", x, longs(g, "shape", 0, 0, 12, -1));
        cleanly(g, y, 14);
        assertType("tensor(float)[batch,seq,12,32]", y);
    }

    @Test
    void aShapeComputedFromShapeGatherAndConcatKeepsItsSymbols() {
        // The pattern PyTorch exports for multi-head attention: Reshape(x, Concat(Shape(x)[0], Shape(x)[1], 12, 32)).
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "seq", "384");
        Value shape = g.op("Shape", x);
        Value zero = g.initializer(Tensor.ofLongs("zero", new long[0], 0));
        Value one = g.initializer(Tensor.ofLongs("one", new long[0], 1));
        Value batch = g.node("Unsqueeze").inputs(g.op("Gather", shape, zero), longs(g, "axes0", 0)).output();
        Value seq = g.node("Unsqueeze").inputs(g.op("Gather", shape, one), longs(g, "axes1", 0)).output();
        Value target = g.node("Concat").inputs(batch, seq, longs(g, "heads", 12, -1)).attr("axis", 0L).output();
        Value y = g.op("Reshape", x, target);
        cleanly(g, y, 13);
        assertType("tensor(int64)[4]", target);
        assertType("tensor(float)[batch,seq,12,32]", y);
    }

    @Test
    void anUnknownTargetStillGivesTheRank() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "6");
        Value target = g.input("target", dev.tern.ir.ElementType.INT64, Infer.dims("3"));
        Value y = g.op("Reshape", x, target);
        cleanly(g, y, 14);
        assertType("tensor(float)[?,?,?]", y);
    }

    @Test
    void opsetFourReadsTheShapeAttribute() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "2", "3", "4");
        Value y = g.node("Reshape").inputs(x).ints("shape", 4, -1).output();
        cleanly(g, y, 4);
        assertType("tensor(float)[4,6]", y);
    }

    @Test
    void flattenAndTransposeMoveDimensions() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "3", "4", "5");
        Value flat = g.node("Flatten").inputs(x).attr("axis", 2L).output();
        Value transposed = g.node("Transpose").inputs(x).ints("perm", 0, 3, 1, 2).output();
        Value reversed = g.op("Transpose", x);
        g.output(flat);
        g.output(transposed);
        cleanly(g, reversed, 17);
        assertType("tensor(float)[?,20]", flat);
        assertType("tensor(float)[batch,5,3,4]", transposed);
        assertType("tensor(float)[5,4,3,batch]", reversed);
    }

    @Test
    void expandBroadcastsWithTheTargetShape() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "3", "1");
        Value y = g.op("Expand", x, longs(g, "shape", 2, 1, 6));
        cleanly(g, y, 13);
        assertType("tensor(float)[2,3,6]", y);
    }
}
