package dev.tern.train;

import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.ElementType.DOUBLE;

/** Finite-difference checks of the broadcasting binary ops, including symbolic batch dims and rank-changing broadcasts. */
class ArithmeticGradientTest extends RuntimeExtension {
    @Test
    void addBroadcastsAcrossRanks() {
        OpCase.of("Add").input(DOUBLE, 2, 3).input(DOUBLE, 3).check(runtime);
    }

    @Test
    void addBroadcastsStaticOnes() {
        OpCase.of("Add").input(DOUBLE, 2, 1, 4).input(DOUBLE, 3, 1).check(runtime);
    }

    @Test
    void addWithSymbolicBatch() {
        OpCase.of("Add").batchedInput(DOUBLE, 3, 4).input(DOUBLE, 1, 4).check(runtime);
    }

    @Test
    void sub() {
        OpCase.of("Sub").input(DOUBLE, 3).batchedInput(DOUBLE, 2, 3).check(runtime);
    }

    @Test
    void mul() {
        OpCase.of("Mul").input(DOUBLE, 2, 3).input(DOUBLE, 2, 1).check(runtime);
    }

    @Test
    void mulByScalar() {
        OpCase.of("Mul").batchedInput(DOUBLE, 2, 3).input(DOUBLE).check(runtime);
    }

    @Test
    void div() {
        OpCase.of("Div").input(DOUBLE, 2, 3).input(DOUBLE, OpCase.Values.POSITIVE, 3).check(runtime);
    }

    @Test
    void pow() {
        OpCase.of("Pow").input(DOUBLE, OpCase.Values.POSITIVE, 2, 3).input(DOUBLE, OpCase.Values.POSITIVE, 3).check(runtime);
    }

    @Test
    void powWithConstantExponentAsInMiniLm() {
        OpCase.of("Pow").opset(11).input(DOUBLE, 2, 3).constant(Tensor.ofDoubles("two", new long[0], 2.0)).check(runtime);
    }

    @Test
    void powWithOtherConstantExponents() {
        OpCase.of("Pow").input(DOUBLE, 2, 3).constant(Tensor.ofDoubles("three", new long[0], 3.0)).check(runtime);
        OpCase.of("Pow").input(DOUBLE, 2, 3).constant(Tensor.ofDoubles("one", new long[] {1}, 1.0)).check(runtime);
        OpCase.of("Pow").input(DOUBLE, OpCase.Values.POSITIVE, 3).constant(Tensor.ofDoubles("half", new long[0], 0.5))
                .check(runtime);
    }

    @Test
    void squareThatBroadcastsItsExponentKeepsPow() {
        OpCase.of("Pow").input(DOUBLE, 3).constant(Tensor.ofDoubles("two", new long[] {1, 1}, 2.0)).check(runtime);
    }
}
