package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * MatMul (numpy semantics: batched, broadcast, 1-D operands) and Gemm (alpha, beta, transA,
 * transB, optional C).
 */
final class MatMulRules {
    private MatMulRules() {
    }

    static void register(GradientRules rules) {
        rules.put("MatMul", GradientRule.of(MatMulRules::matMul));
        rules.put("Gemm", GradientRule.of(MatMulRules::gemm));
    }

    /**
     * A 1-D operand is treated as a matrix (a row [1,K] on the left, a column [K,1] on the
     * right) and the output gradient gets the axis numpy dropped; then dA = dY B^T and
     * dB = A^T dY, summed over broadcast batch axes back to each operand's shape.
     */
    private static void matMul(RuleContext c) {
        Ops ops = c.ops();
        Value a = c.input(0);
        Value b = c.input(1);
        List<Dim> aDims = new ArrayList<>(ValueTypes.dims(a));
        List<Dim> bDims = new ArrayList<>(ValueTypes.dims(b));
        boolean aIsVector = aDims.size() == 1;
        boolean bIsVector = bDims.size() == 1;
        Value matrixA = a;
        Value matrixB = b;
        if (aIsVector) {
            aDims.add(0, Dim.of(1));
            matrixA = ops.unsqueeze(a, 0);
        }
        if (bIsVector) {
            bDims.add(Dim.of(1));
            matrixB = ops.unsqueeze(b, 1);
        }
        List<Dim> batch = broadcastBatch(aDims, bDims);
        Value g = c.gradient();
        if (aIsVector) {
            g = ops.unsqueeze(g, batch.size());
        }
        if (bIsVector) {
            g = ops.unsqueeze(g, batch.size() + 1);
        }
        if (c.wants(0)) {
            Value full = ops.op("MatMul", g, transposeLastTwo(ops, matrixB, bDims.size()));
            c.give(0, ops.sumTo(full, withMatrix(batch, aDims), aDims, a));
        }
        if (c.wants(1)) {
            if (bDims.size() == 2 && aDims.size() > 2) {
                Value rowsOfA = ops.op("Reshape", matrixA, rowsOf(ops, matrixA, aDims));
                Value rowsOfG = ops.op("Reshape", g, rowsOf(ops, g, withMatrix(batch, List.of(aDims.get(aDims.size() - 2),
                        bDims.get(1)))));
                c.give(1, sharedMatrixGradient(ops, rowsOfA, rowsOfG, bIsVector ? b : null));
            } else {
                Value full = ops.op("MatMul", transposeLastTwo(ops, matrixA, aDims.size()), g);
                c.give(1, ops.sumTo(full, withMatrix(batch, bDims), bDims, b));
            }
        }
    }

    /**
     * The gradient of a matrix B that every batch entry of A multiplies (a dense layer's weight
     * applied to [batch, tokens, features]): the sum over the batch of A_i^T dY_i is one
     * product of A and dY flattened to rows, which avoids a batched product into a
     * [batch, K, N] temporary and the reduction of it, and gives the BLAS one large Gemm.
     * {@code vector} is B itself when it was 1-D, so the result is reshaped back to it.
     */
    private static Value sharedMatrixGradient(Ops ops, Value rowsOfA, Value rowsOfG, Value vector) {
        // Gemm's C input is optional from opset 11; before, a transposing MatMul does the same.
        Value product = ops.opset() >= 11
                ? ops.op("Gemm", List.of(Attribute.ofInt("transA", 1)), rowsOfA, rowsOfG)
                : ops.op("MatMul", ops.transpose(rowsOfA, 1, 0), rowsOfG);
        return vector == null ? product : ops.reshapeLike(product, vector);
    }

    /** The shape {@code [-1, last]} that flattens {@code x}, of dimensions {@code dims}, to rows of its last dimension. */
    private static Value rowsOf(Ops ops, Value x, List<Dim> dims) {
        if (dims.get(dims.size() - 1) instanceof Dim.Known known) {
            return ops.int64s(-1, known.size());
        }
        return ops.op("Concat", List.of(Attribute.ofInt("axis", 0)), ops.int64s(-1), ops.dimension(x, dims.size() - 1));
    }

    /**
     * Y = alpha A' B' + beta C with A' = transA ? A^T : A (likewise B'). Each operand's
     * gradient is itself one Gemm, arranged so no explicit Transpose is needed.
     */
    private static void gemm(RuleContext c) {
        Ops ops = c.ops();
        Value a = c.input(0);
        Value b = c.input(1);
        Value g = c.gradient();
        float alpha = c.floatAttribute("alpha", 1f);
        boolean transA = c.intAttribute("transA", 0) != 0;
        boolean transB = c.intAttribute("transB", 0) != 0;
        if (c.wants(0)) {
            Value gradA = transA
                    ? gemm(ops, b, g, alpha, transB, true)
                    : gemm(ops, g, b, alpha, false, !transB);
            c.give(0, gradA);
        }
        if (c.wants(1)) {
            Value gradB = transB
                    ? gemm(ops, g, a, alpha, true, transA)
                    : gemm(ops, a, g, alpha, !transA, false);
            c.give(1, gradB);
        }
        if (c.wants(2)) {
            double beta = c.floatAttribute("beta", 1f);
            Value scaled = beta == 1 ? g : ops.mul(g, ops.scalarLike(beta, g));
            List<Dim> outputDims = List.of(Dim.UNKNOWN, Dim.UNKNOWN);
            c.give(2, ops.sumTo(scaled, outputDims, c.input(2)));
        }
    }

    private static Value gemm(Ops ops, Value left, Value right, float alpha, boolean transLeft, boolean transRight) {
        List<Attribute> attributes = List.of(
                Attribute.ofFloat("alpha", alpha),
                Attribute.ofInt("transA", transLeft ? 1 : 0),
                Attribute.ofInt("transB", transRight ? 1 : 0));
        return ops.op("Gemm", attributes, left, right);
    }

    private static Value transposeLastTwo(Ops ops, Value x, int rank) {
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        return ops.transpose(x, perm);
    }

    /** The broadcast of both operands' batch dimensions (all but the last two). */
    private static List<Dim> broadcastBatch(List<Dim> aDims, List<Dim> bDims) {
        List<Dim> aBatch = aDims.subList(0, aDims.size() - 2);
        List<Dim> bBatch = bDims.subList(0, bDims.size() - 2);
        int rank = Math.max(aBatch.size(), bBatch.size());
        List<Dim> result = new ArrayList<>(rank);
        for (int axis = 0; axis < rank; axis++) {
            Dim fromA = dimFromRight(aBatch, rank - axis);
            Dim fromB = dimFromRight(bBatch, rank - axis);
            result.add(Ops.isOne(fromA) ? fromB : fromA);
        }
        return result;
    }

    private static Dim dimFromRight(List<Dim> dims, int positionFromRight) {
        int index = dims.size() - positionFromRight;
        return index >= 0 ? dims.get(index) : Dim.of(1);
    }

    /** {@code batch} followed by the last two of {@code matrixDims}. */
    private static List<Dim> withMatrix(List<Dim> batch, List<Dim> matrixDims) {
        List<Dim> result = new ArrayList<>(batch);
        result.addAll(matrixDims.subList(matrixDims.size() - 2, matrixDims.size()));
        return result;
    }
}
