package dev.tern.train;

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

/** Finite-difference checks of Sum, Mean, Max and Min over several inputs, broadcasting among them. */
class VariadicGradientTest extends RuntimeExtension {
    @Test
    void sumOfThreeBroadcastInputs() {
        OpCase.of("Sum").input(DOUBLE, 2, 3).input(DOUBLE, 3).input(DOUBLE, 2, 1).check(runtime);
    }

    @Test
    void meanOfThreeBroadcastInputs() {
        OpCase.of("Mean").input(FLOAT, 2, 3).input(FLOAT, 3).input(FLOAT, 2, 1).check(runtime);
    }

    /** Max and min of [2, 3], [3] and [2, 1] inputs whose values all differ by 0.1 or more, so a step of 0.01 changes no winner. */
    @ParameterizedTest
    @ValueSource(strings = {"Max", "Min"})
    void extremesOfBroadcastInputs(String op) {
        GraphBuilder g = GraphBuilder.create("extremes");
        Value a = g.input("a", FLOAT, Dim.of(2), Dim.of(3));
        Value b = g.input("b", FLOAT, Dim.of(3));
        Value c = g.input("c", FLOAT, Dim.of(2), Dim.of(1));
        Value y = g.op(op, a, b, c);
        g.output(g.op("ReduceSum", g.op("Mul", y, y)), "loss");
        Map<String, Tensor> feeds = Map.of(
                "a", Tensor.ofFloats("a", new long[] {2, 3}, 0.9f, -0.2f, 0.4f, -0.7f, 1.3f, 0.1f),
                "b", Tensor.ofFloats("b", new long[] {3}, 0.6f, -0.5f, 1.1f),
                "c", Tensor.ofFloats("c", new long[] {2, 1}, 0.3f, -1.0f));
        GradientCheck.check(runtime, g.toModel(17), "loss", feeds, List.of("a", "b", "c"));
    }

    /**
     * Max(x, x, 2x) ties its first two inputs everywhere (and the third where x is 0, which
     * the values avoid): each tied input gets half the gradient, so the total matches the
     * finite difference of a function that is smooth in x.
     */
    @Test
    void tiedInputsShareTheGradient() {
        for (String op : List.of("Max", "Min")) {
            GraphBuilder g = GraphBuilder.create("tied");
            Value x = g.input("x", DOUBLE, Dim.of(2), Dim.of(2));
            Value twice = g.op("Mul", x, g.initializer(Tensor.ofDoubles("two", new long[0], 2)));
            Value y = g.op(op, x, x, twice);
            g.output(g.op("ReduceSum", g.op("Mul", y, y)), "loss");
            Tensor point = Tensor.ofDoubles("x", new long[] {2, 2}, 0.5, -0.25, 1.5, -2);
            GradientCheck.check(runtime, g.toModel(17), "loss", Map.of("x", point), List.of("x"));
        }
    }
}
