package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/** MatMul (numpy semantics: batched, broadcast batch dims, 1-D operands promoted and dropped again) and Gemm. */
final class MatMulRules {
    private MatMulRules() {
    }

    static void register(OpRegistry registry) {
        registry.add(node -> node.setOutput(0, node.elementType(0), matMul(node, node.shape(0), node.shape(1))),
                "MatMul");
        registry.add(node -> node.setOutput(0, ElementType.INT32, matMul(node, node.shape(0), node.shape(1))),
                "MatMulInteger");
        registry.add(MatMulRules::gemm, "Gemm");
    }

    static Shape matMul(NodeContext node, Shape a, Shape b) {
        if (!a.isRankKnown() || !b.isRankKnown()) {
            return Shape.unknownRank();
        }
        if (a.rank() == 0 || b.rank() == 0) {
            throw node.conflict("MatMul operands must have rank 1 or more, found " + a + " and " + b);
        }
        List<Dim> left = new ArrayList<>(a.dims());
        List<Dim> right = new ArrayList<>(b.dims());
        boolean leftVector = left.size() == 1;
        boolean rightVector = right.size() == 1;
        if (leftVector) {
            left.add(0, Dims.one());
        }
        if (rightVector) {
            right.add(Dims.one());
        }
        Dim inner = left.get(left.size() - 1);
        Dim innerRight = right.get(right.size() - 2);
        if (!Dims.compatible(inner, innerRight)) {
            throw node.conflict("inner dimensions differ: " + a + " times " + b);
        }
        Shape batch = Broadcasting.broadcast(Shape.of(left.subList(0, left.size() - 2)),
                Shape.of(right.subList(0, right.size() - 2)));
        List<Dim> dims = new ArrayList<>(batch.dims());
        if (!leftVector) {
            dims.add(left.get(left.size() - 2));
        }
        if (!rightVector) {
            dims.add(right.get(right.size() - 1));
        }
        return Shape.of(dims);
    }

    /** Gemm: op(A) [M, K] times op(B) [K, N] gives [M, N]; C only broadcasts into that. */
    private static void gemm(NodeContext node) {
        Shape a = node.shape(0);
        Shape b = node.shape(1);
        Dim m = Dim.UNKNOWN;
        Dim n = Dim.UNKNOWN;
        boolean transA = node.intAttr("transA", 0) != 0;
        boolean transB = node.intAttr("transB", 0) != 0;
        if (a.isRankKnown()) {
            requireMatrix(node, a, "A");
            m = a.dim(transA ? 1 : 0);
        }
        if (b.isRankKnown()) {
            requireMatrix(node, b, "B");
            n = b.dim(transB ? 0 : 1);
        }
        if (a.isRankKnown() && b.isRankKnown() && !Dims.compatible(a.dim(transA ? 0 : 1), b.dim(transB ? 1 : 0))) {
            throw node.conflict("inner dimensions differ: A " + a + (transA ? "ᵀ" : "") + " times B " + b + (transB ? "ᵀ" : ""));
        }
        node.setOutput(0, node.elementType(0), List.of(m, n));
    }

    private static void requireMatrix(NodeContext node, Shape shape, String name) {
        if (shape.rank() != 2) {
            throw node.conflict(name + " has rank " + shape.rank() + ", Gemm needs 2");
        }
    }
}
