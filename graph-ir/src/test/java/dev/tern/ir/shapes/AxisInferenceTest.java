package dev.tern.ir.shapes;

import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.shapes.Infer.assertType;
import static dev.tern.ir.shapes.Infer.cleanly;
import static dev.tern.ir.shapes.Infer.floats;
import static dev.tern.ir.shapes.Infer.longs;

/** Ops whose axes moved from an attribute to an input in some opset. */
class AxisInferenceTest {
    @Test
    void squeezeReadsAxesFromTheAttributeBeforeOpset13() {
        GraphBuilder g = GraphBuilder.create("g");
        Value y = g.node("Squeeze").inputs(floats(g, "x", "batch", "1", "4", "1")).ints("axes", 1).output();
        cleanly(g, y, 11);
        assertType("tensor(float)[batch,4,1]", y);
    }

    @Test
    void squeezeReadsAxesFromTheInputFromOpset13() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "1", "4", "1");
        Value y = g.op("Squeeze", x, longs(g, "axes", -1));
        cleanly(g, y, 13);
        assertType("tensor(float)[batch,1,4]", y);
    }

    @Test
    void squeezeWithoutAxesNeedsEveryDimensionKnown() {
        GraphBuilder known = GraphBuilder.create("g");
        Value all = known.op("Squeeze", floats(known, "x", "1", "4", "1"));
        cleanly(known, all, 13);
        assertType("tensor(float)[4]", all);

        GraphBuilder symbolic = GraphBuilder.create("g");
        Value unknown = symbolic.op("Squeeze", floats(symbolic, "x", "batch", "4", "1"));
        cleanly(symbolic, unknown, 13);
        assertType("null", unknown);
    }

    @Test
    void unsqueezeInsertsOnesAtAxesOfTheOutput() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "4");
        Value attributeForm = g.node("Unsqueeze").inputs(x).ints("axes", 0, 3).output();
        cleanly(g, attributeForm, 11);
        assertType("tensor(float)[1,batch,4,1]", attributeForm);

        GraphBuilder h = GraphBuilder.create("h");
        Value inputForm = h.op("Unsqueeze", floats(h, "x", "batch", "4"), longs(h, "axes", -1, 1));
        cleanly(h, inputForm, 13);
        assertType("tensor(float)[batch,1,4,1]", inputForm);
    }

    @Test
    void reduceSumTakesAxesAsAnInputFromOpset13AndReduceMeanFromOpset18() {
        GraphBuilder sum13 = GraphBuilder.create("g");
        Value sum = sum13.op("ReduceSum", floats(sum13, "x", "batch", "3", "4"), longs(sum13, "axes", 1));
        cleanly(sum13, sum, 13);
        assertType("tensor(float)[batch,1,4]", sum);

        GraphBuilder mean13 = GraphBuilder.create("g");
        Value mean = mean13.node("ReduceMean").inputs(floats(mean13, "x", "batch", "3", "4"))
                .ints("axes", -1).attr("keepdims", 0L).output();
        cleanly(mean13, mean, 13);
        assertType("tensor(float)[batch,3]", mean);

        GraphBuilder mean18 = GraphBuilder.create("g");
        Value mean2 = mean18.node("ReduceMean").inputs(floats(mean18, "x", "batch", "3", "4"), longs(mean18, "axes", 0, 2))
                .attr("keepdims", 0L).output();
        cleanly(mean18, mean2, 18);
        assertType("tensor(float)[3]", mean2);
    }

    @Test
    void reductionWithoutAxesReducesEverythingUnlessNoopIsAsked() {
        GraphBuilder all = GraphBuilder.create("g");
        Value everything = all.node("ReduceMax").inputs(floats(all, "x", "batch", "3")).attr("keepdims", 0L).output();
        cleanly(all, everything, 18);
        assertType("tensor(float)[]", everything);

        GraphBuilder noop = GraphBuilder.create("g");
        Value same = noop.node("ReduceSum").inputs(floats(noop, "x", "batch", "3"))
                .attr("noop_with_empty_axes", 1L).output();
        cleanly(noop, same, 13);
        assertType("tensor(float)[batch,3]", same);
    }

    @Test
    void argMaxGivesInt64() {
        GraphBuilder g = GraphBuilder.create("g");
        Value y = g.node("ArgMax").inputs(floats(g, "x", "batch", "10")).attr("axis", 1L).output();
        cleanly(g, y, 13);
        assertType("tensor(int64)[batch,1]", y);
    }
}
