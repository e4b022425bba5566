package dev.tern.train;

import dev.tern.ir.Attribute;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.ElementType.DOUBLE;

/** Finite-difference checks of MatMul (plain, batched, broadcast, 1-D operands), Gemm, Softmax and LogSoftmax. */
class LinearAlgebraGradientTest extends RuntimeExtension {
    @Test
    void matMul() {
        OpCase.of("MatMul").input(DOUBLE, 2, 3).input(DOUBLE, 3, 4).check(runtime);
    }

    @Test
    void matMulBatchedWithBroadcastWeights() {
        OpCase.of("MatMul").batchedInput(DOUBLE, 2, 3, 4).input(DOUBLE, 4, 2).check(runtime);
    }

    @Test
    void matMulOfRank4ByOneWeightMatrix() {
        OpCase.of("MatMul").batchedInput(DOUBLE, 2, 2, 3, 4).input(DOUBLE, 4, 5).check(runtime);
    }

    @Test
    void matMulOfBatchByWeightMatrixBeforeGemmTookTwoInputs() {
        OpCase.of("MatMul").opset(9).batchedInput(DOUBLE, 2, 3, 4).input(DOUBLE, 4, 2).check(runtime);
    }

    @Test
    void matMulOfBatchByWeightVector() {
        OpCase.of("MatMul").batchedInput(DOUBLE, 2, 3, 4).input(DOUBLE, 4).check(runtime);
    }

    @Test
    void matMulBroadcastsBatchAxesBothWays() {
        OpCase.of("MatMul").input(DOUBLE, 2, 1, 2, 3).input(DOUBLE, 3, 3, 2).check(runtime);
    }

    @Test
    void matMulVectorOnTheLeft() {
        OpCase.of("MatMul").input(DOUBLE, 3).input(DOUBLE, 2, 3, 4).check(runtime);
    }

    @Test
    void matMulVectorOnTheRight() {
        OpCase.of("MatMul").input(DOUBLE, 2, 3).input(DOUBLE, 3).check(runtime);
    }

    @Test
    void matMulOfTwoVectors() {
        OpCase.of("MatMul").input(DOUBLE, 3).input(DOUBLE, 3).check(runtime);
    }

    @Test
    void gemmPlain() {
        OpCase.of("Gemm").input(DOUBLE, 2, 3).input(DOUBLE, 3, 4).input(DOUBLE, 4).check(runtime);
    }

    @Test
    void gemmTransposedWithScales() {
        OpCase.of("Gemm").input(DOUBLE, 3, 2).input(DOUBLE, 4, 3).input(DOUBLE, 2, 1)
                .attr(Attribute.ofInt("transA", 1)).attr(Attribute.ofInt("transB", 1))
                .attr(Attribute.ofFloat("alpha", 0.5f)).attr(Attribute.ofFloat("beta", 2f))
                .check(runtime);
    }

    @Test
    void gemmTransposedA() {
        OpCase.of("Gemm").input(DOUBLE, 3, 2).input(DOUBLE, 3, 4).input(DOUBLE).attr(Attribute.ofInt("transA", 1)).check(runtime);
    }

    @Test
    void gemmWithoutC() {
        OpCase.of("Gemm").input(DOUBLE, 2, 3).input(DOUBLE, 4, 3).attr(Attribute.ofInt("transB", 1)).check(runtime);
    }

    @Test
    void softmaxOnOneAxis() {
        OpCase.of("Softmax").batchedInput(DOUBLE, 2, 3, 4).attr(Attribute.ofInt("axis", 1)).check(runtime);
    }

    @Test
    void softmaxCoercedTo2dBeforeOpset13() {
        OpCase.of("Softmax").opset(11).input(DOUBLE, 2, 3, 4).attr(Attribute.ofInt("axis", 1)).check(runtime);
    }

    @Test
    void logSoftmax() {
        OpCase.of("LogSoftmax").input(DOUBLE, 2, 5).check(runtime);
    }

    @Test
    void logSoftmaxBeforeOpset13() {
        OpCase.of("LogSoftmax").opset(12).input(DOUBLE, 2, 2, 3).attr(Attribute.ofInt("axis", 2)).check(runtime);
    }
}
