package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;

import java.util.List;

/** Arithmetic on dimensions that keeps what can be kept: a known result when both sides are known, an identity when one side is neutral. */
final class Dims {
    private static final Dim ONE = Dim.of(1);

    private Dims() {
    }

    static Dim one() {
        return ONE;
    }

    /** The size of a known dimension, or -1. */
    static long size(Dim dim) {
        return dim instanceof Dim.Known known ? known.size() : -1;
    }

    static boolean isOne(Dim dim) {
        return size(dim) == 1;
    }

    static Dim multiply(Dim a, Dim b) {
        if (a.isKnown() && b.isKnown()) {
            return Dim.of(Math.multiplyExact(size(a), size(b)));
        }
        if (isOne(a)) {
            return b;
        }
        if (isOne(b)) {
            return a;
        }
        // 0 times anything is 0, even an unknown size.
        return size(a) == 0 || size(b) == 0 ? Dim.of(0) : Dim.UNKNOWN;
    }

    static Dim product(List<Dim> dims) {
        Dim result = ONE;
        for (Dim dim : dims) {
            result = multiply(result, dim);
        }
        return result;
    }

    static Dim add(Dim a, Dim b) {
        if (a.isKnown() && b.isKnown()) {
            return Dim.of(Math.addExact(size(a), size(b)));
        }
        if (size(a) == 0) {
            return b;
        }
        return size(b) == 0 ? a : Dim.UNKNOWN;
    }

    /** {@code a + delta}, or unknown when {@code a} is not known; a negative result is a conflict. */
    static Dim plus(Dim a, long delta, String what) {
        if (delta == 0) {
            return a;
        }
        if (!a.isKnown()) {
            return Dim.UNKNOWN;
        }
        long sum = size(a) + delta;
        if (sum < 0) {
            throw new ShapeConflict(what + " comes out negative (" + sum + ")");
        }
        return Dim.of(sum);
    }

    /**
     * Whether two dimensions may be the same size: false only when both are known and differ
     * (two different symbols may still be equal at run time).
     */
    static boolean compatible(Dim a, Dim b) {
        return !(a.isKnown() && b.isKnown() && size(a) != size(b));
    }

    /** The more precise of two dimensions that must be equal: known over symbolic over unknown. */
    static Dim unify(Dim a, Dim b) {
        if (a.isKnown()) {
            return a;
        }
        if (b.isKnown()) {
            return b;
        }
        return a instanceof Dim.Symbolic ? a : b;
    }

    /** The dimension that holds for either of two values: kept if equal, unknown otherwise. */
    static Dim generalize(Dim a, Dim b) {
        return a.equals(b) ? a : Dim.UNKNOWN;
    }

    /** {@code axis} made non-negative for a tensor of {@code rank}; out of range is a conflict. */
    static int normalizeAxis(long axis, int rank, String what) {
        if (axis < -rank || axis >= rank) {
            throw new ShapeConflict(what + " " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }
}
