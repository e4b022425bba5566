package dev.tern.train;

import org.junit.jupiter.api.Test;

import static dev.tern.ir.ElementType.DOUBLE;
import static dev.tern.ir.ElementType.FLOAT;

/** Finite-difference checks of the trigonometric and hyperbolic functions and their inverses. */
class TrigonometricGradientTest extends RuntimeExtension {
    @Test
    void sin() {
        OpCase.of("Sin").input(DOUBLE, 2, 3).check(runtime);
    }

    @Test
    void cos() {
        OpCase.of("Cos").input(DOUBLE, 2, 3).check(runtime);
    }

    @Test
    void tan() {
        OpCase.of("Tan").input(FLOAT, 2, 3).check(runtime);
    }

    @Test
    void atan() {
        OpCase.of("Atan").input(FLOAT, 2, 3).check(runtime);
    }

    @Test
    void sinh() {
        OpCase.of("Sinh").input(FLOAT, 2, 3).check(runtime);
    }

    @Test
    void cosh() {
        OpCase.of("Cosh").input(FLOAT, 2, 3).check(runtime);
    }

    @Test
    void asinh() {
        OpCase.of("Asinh").input(FLOAT, 2, 3).check(runtime);
    }

    @Test
    void acoshAboveOne() {
        OpCase.of("Acosh").input(FLOAT, OpCase.Values.ABOVE_ONE, 2, 3).check(runtime);
    }

    @Test
    void atanhInsideTheUnitInterval() {
        OpCase.of("Atanh").input(FLOAT, OpCase.Values.WITHIN_UNIT, 2, 3).check(runtime);
    }
}
