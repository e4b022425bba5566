package dev.tern.ir.internal.folding;

import java.util.Optional;

/** NumPy-style (multidirectional) broadcasting, as ONNX's elementwise operators use it. */
final class Broadcast {
    private Broadcast() {
    }

    /** The broadcast shape of {@code a} and {@code b}, or empty if some aligned dimensions differ and neither is 1. */
    static Optional<long[]> shape(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] result = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = dimFromRight(a, rank - 1 - i);
            long db = dimFromRight(b, rank - 1 - i);
            if (da != db && da != 1 && db != 1) {
                return Optional.empty();
            }
            result[i] = da == 1 ? db : da;
        }
        return Optional.of(result);
    }

    /** For each element of a tensor of {@code outDims}, the flat index of the element of {@code inDims} it reads. */
    static int[] sourceIndices(long[] inDims, long[] outDims) {
        int rank = outDims.length;
        long[] inStrides = new long[rank];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            long dim = dimFromRight(inDims, rank - 1 - i);
            inStrides[i] = dim == 1 ? 0 : stride;
            stride *= dim;
        }
        int count = Math.toIntExact(Numbers.elementCount(outDims));
        int[] sources = new int[count];
        long[] position = new long[rank];
        long source = 0;
        for (int flat = 0; flat < count; flat++) {
            sources[flat] = (int) source;
            for (int axis = rank - 1; axis >= 0; axis--) {
                position[axis]++;
                source += inStrides[axis];
                if (position[axis] < outDims[axis]) {
                    break;
                }
                source -= inStrides[axis] * position[axis];
                position[axis] = 0;
            }
        }
        return sources;
    }

    /** Dimension {@code fromRight} places from the last one, 1 where {@code dims} is shorter. */
    private static long dimFromRight(long[] dims, int fromRight) {
        int index = dims.length - 1 - fromRight;
        return index >= 0 ? dims[index] : 1;
    }
}
