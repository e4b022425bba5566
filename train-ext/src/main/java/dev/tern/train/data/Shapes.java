package dev.tern.train.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Checks and formats the per-example shapes of features and targets. */
final class Shapes {
    private Shapes() {
    }

    /** A copy of {@code shape} after checking every dimension is positive and the size fits an int. */
    static long[] checkedExampleShape(String role, long[] shape) {
        if (shape.length == 0) {
            throw new DatasetException("the " + role + " shape needs at least one dimension");
        }
        for (long dim : shape) {
            if (dim <= 0) {
                throw new DatasetException("the " + role + " shape " + format(shape) + " has a dimension <= 0");
            }
        }
        size(shape);
        return shape.clone();
    }

    /** The element count of {@code shape}. */
    static int size(long[] shape) {
        long size = 1;
        for (long dim : shape) {
            size *= dim;
            if (size > Integer.MAX_VALUE) {
                throw new DatasetException("shape " + format(shape) + " has more than 2^31 elements");
            }
        }
        return (int) size;
    }

    /** {@code 1x8x8}, the way shapes are written in options. */
    static String format(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
}
