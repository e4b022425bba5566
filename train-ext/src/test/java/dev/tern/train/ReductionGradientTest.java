package dev.tern.train;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static dev.tern.ir.ElementType.DOUBLE;
import static dev.tern.ir.ElementType.FLOAT;

/**
 * Finite-difference checks of the Reduce ops: with axes as an input (opset 18) and as an
 * attribute (opset 13), keeping the reduced axes or not, and over all axes.
 */
class ReductionGradientTest extends RuntimeExtension {
    private static OpCase withAxesInput(String op, OpCase.Values values, long keepDims) {
        return OpCase.of(op).opset(18).input(FLOAT, values, 2, 3, 4)
                .constant(Tensor.ofLongs("axes", new long[] {2}, 0, 2)).attr(Attribute.ofInt("keepdims", keepDims));
    }

    private static OpCase withAxesAttribute(String op, OpCase.Values values) {
        return OpCase.of(op).opset(13).input(FLOAT, values, 2, 3, 4)
                .attr(Attribute.ofInts("axes", 1)).attr(Attribute.ofInt("keepdims", 0));
    }

    private static OpCase overAllAxes(String op, OpCase.Values values) {
        return OpCase.of(op).opset(18).input(FLOAT, values, 3, 4);
    }

    private static void checkForms(String op, OpCase.Values values) {
        withAxesInput(op, values, 0).check(runtime);
        withAxesInput(op, values, 1).check(runtime);
        withAxesAttribute(op, values).check(runtime);
        overAllAxes(op, values).check(runtime);
    }

    /** Max and min on distinct values 0.05 apart, so the float step of 0.01 never changes which element wins. */
    @ParameterizedTest
    @ValueSource(strings = {"ReduceMax", "ReduceMin"})
    void extremes(String op) {
        checkForms(op, OpCase.Values.SPREAD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ReduceLogSumExp", "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceProd"})
    void smoothReductions(String op) {
        checkForms(op, OpCase.Values.SIGNED);
    }

    @Test
    void sumAndMeanStillWork() {
        OpCase.of("ReduceSum").input(DOUBLE, 2, 3).constant(Tensor.ofLongs("axes", new long[] {1}, 1)).check(runtime);
        OpCase.of("ReduceMean").opset(18).input(DOUBLE, 2, 3).constant(Tensor.ofLongs("axes", new long[] {1}, 0))
                .attr(Attribute.ofInt("keepdims", 0)).check(runtime);
    }

    /**
     * The maximum of [x, x] along the concatenation axis ties each element with its copy: each
     * gets half the gradient, so the total matches the finite difference of the smooth max(x, x) = x.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ReduceMax", "ReduceMin"})
    void tiedExtremesShareTheGradient(String op) {
        GraphBuilder g = GraphBuilder.create("tied");
        Value x = g.input("x", DOUBLE, Dim.of(2), Dim.of(3));
        Value doubled = g.node("Concat").inputs(x, x).attr("axis", 0L).output();
        Value y = g.node(op).inputs(doubled, g.initializer(Tensor.ofLongs("axes", new long[] {1}, 0))).output();
        g.output(g.op("ReduceSum", g.op("Mul", y, y)), "loss");
        Tensor point = Tensor.ofDoubles("x", new long[] {2, 3}, 0.5, -0.25, 1.5, -2, 0.75, 1);
        GradientCheck.check(runtime, g.toModel(18), "loss", Map.of("x", point), List.of("x"));
    }
}
