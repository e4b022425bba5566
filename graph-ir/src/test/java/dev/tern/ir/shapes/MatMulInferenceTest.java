package dev.tern.ir.shapes;

import dev.tern.ir.GraphBuilder;
import dev.tern.ir.InferenceReport;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.shapes.Infer.assertType;
import static dev.tern.ir.shapes.Infer.cleanly;
import static dev.tern.ir.shapes.Infer.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MatMulInferenceTest {
    @Test
    void batchDimensionsBroadcast() {
        GraphBuilder g = GraphBuilder.create("g");
        Value y = g.op("MatMul", floats(g, "a", "batch", "1", "seq", "64"), floats(g, "b", "12", "64", "seq"));
        cleanly(g, y, 17);
        assertType("tensor(float)[batch,12,seq,seq]", y);
    }

    @Test
    void vectorOperandsArePromotedAndTheirAxisDropped() {
        GraphBuilder g = GraphBuilder.create("g");
        Value matrixTimesVector = g.op("MatMul", floats(g, "m", "3", "4"), floats(g, "v", "4"));
        Value vectorTimesMatrix = g.op("MatMul", floats(g, "u", "3"), floats(g, "n", "batch", "3", "5"));
        Value dot = g.op("MatMul", floats(g, "p", "7"), floats(g, "q", "7"));
        g.output(matrixTimesVector);
        g.output(vectorTimesMatrix);
        cleanly(g, dot, 17);
        assertType("tensor(float)[3]", matrixTimesVector);
        assertType("tensor(float)[batch,5]", vectorTimesMatrix);
        assertType("tensor(float)[]", dot);
    }

    @Test
    void mismatchedInnerDimensionsAreAConflict() {
        GraphBuilder g = GraphBuilder.create("g");
        Value y = g.op("MatMul", floats(g, "a", "2", "3"), floats(g, "b", "4", "5"));
        g.output(y);
        InferenceReport report = ShapeInference.infer(g.toModel(17));
        assertEquals(1, report.conflicts().size(), report::toString);
    }

    @Test
    void gemmTransposesItsOperands() {
        GraphBuilder g = GraphBuilder.create("g");
        Value y = g.node("Gemm").inputs(floats(g, "a", "8", "batch"), floats(g, "b", "10", "8"), floats(g, "c", "10"))
                .attr("transA", 1L).attr("transB", 1L).output();
        cleanly(g, y, 13);
        assertType("tensor(float)[batch,10]", y);
    }

    @Test
    void einsumTakesEachOutputSubscriptsDimensionFromAnOperand() {
        GraphBuilder g = GraphBuilder.create("g");
        Value scores = g.node("Einsum").inputs(floats(g, "q", "batch", "12", "seq", "64"), floats(g, "k", "batch", "12", "7", "64"))
                .attr("equation", "bhqd, bhkd -> bhqk").output();
        Value implicit = g.node("Einsum").inputs(floats(g, "a", "2", "3"), floats(g, "b", "3", "5"))
                .attr("equation", "ij,jk").output();
        Value ellipsis = g.node("Einsum").inputs(floats(g, "c", "2", "3")).attr("equation", "...i->...").output();
        g.output(implicit);
        g.output(ellipsis);
        cleanly(g, scores, 17);
        assertType("tensor(float)[batch,12,seq,7]", scores);
        assertType("tensor(float)[2,5]", implicit);
        assertType("tensor(float)[*]", ellipsis);
    }

    @Test
    void einsumSubscriptsThatDoNotMatchTheRankAreAConflict() {
        GraphBuilder g = GraphBuilder.create("g");
        Value y = g.node("Einsum").inputs(floats(g, "a", "2", "3")).attr("equation", "ijk->i").output();
        g.output(y);
        InferenceReport report = ShapeInference.infer(g.toModel(17));
        assertEquals(1, report.conflicts().size(), report::toString);
    }
}
