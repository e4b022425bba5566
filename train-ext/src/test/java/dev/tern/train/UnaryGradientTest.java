package dev.tern.train;

import dev.tern.ir.Attribute;
import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.ElementType.DOUBLE;
import static dev.tern.ir.ElementType.FLOAT;

/** Finite-difference checks of the elementwise functions. */
class UnaryGradientTest extends RuntimeExtension {
    @Test
    void neg() {
        OpCase.of("Neg").input(DOUBLE, 2, 3).check(runtime);
    }

    @Test
    void sqrt() {
        OpCase.of("Sqrt").input(DOUBLE, OpCase.Values.POSITIVE, 2, 3).check(runtime);
    }

    @Test
    void exp() {
        OpCase.of("Exp").input(DOUBLE, 2, 3).check(runtime);
    }

    @Test
    void log() {
        OpCase.of("Log").input(DOUBLE, OpCase.Values.POSITIVE, 2, 3).check(runtime);
    }

    @Test
    void abs() {
        OpCase.of("Abs").input(DOUBLE, 2, 3).check(runtime);
    }

    @Test
    void reciprocal() {
        OpCase.of("Reciprocal").input(DOUBLE, OpCase.Values.POSITIVE, 2, 3).check(runtime);
    }

    @Test
    void erf() {
        OpCase.of("Erf").input(FLOAT, 2, 3).check(runtime);
    }

    @Test
    void sigmoid() {
        OpCase.of("Sigmoid").input(DOUBLE, 2, 3).check(runtime);
    }

    @Test
    void tanh() {
        OpCase.of("Tanh").input(DOUBLE, 2, 3).check(runtime);
    }

    @Test
    void relu() {
        OpCase.of("Relu").input(DOUBLE, 2, 3).check(runtime);
    }

    @Test
    void leakyRelu() {
        OpCase.of("LeakyRelu").input(FLOAT, 2, 3).attr(Attribute.ofFloat("alpha", 0.2f)).check(runtime);
    }

    @Test
    void elu() {
        OpCase.of("Elu").input(FLOAT, 2, 3).attr(Attribute.ofFloat("alpha", 0.7f)).check(runtime);
    }

    @Test
    void clipWithBoundsAsInputs() {
        OpCase.of("Clip").input(DOUBLE, 2, 4)
                .constant(Tensor.ofDoubles("min", new long[0], -0.5))
                .constant(Tensor.ofDoubles("max", new long[0], 0.5))
                .check(runtime);
    }

    @Test
    void clipWithOnlyAnUpperBound() {
        OpCase.of("Clip").input(DOUBLE, 2, 4).absent().constant(Tensor.ofDoubles("max", new long[0], 0.3)).check(runtime);
    }

    @Test
    void clipWithBoundsAsAttributesBeforeOpset11() {
        OpCase.of("Clip").opset(10).input(FLOAT, 2, 4)
                .attr(Attribute.ofFloat("min", -0.5f)).attr(Attribute.ofFloat("max", 0.5f))
                .check(runtime);
    }
}
