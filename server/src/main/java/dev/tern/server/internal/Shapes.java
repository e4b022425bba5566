package dev.tern.server.internal;

import dev.tern.server.Status;
import java.util.Arrays;

/** Checks on the shapes clients send. */
public final class Shapes {
    /** No tensor may exceed this many elements, whatever its shape claims (a Java array's limit). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Shapes() {
    }

    /**
     * The element count of {@code dims}.
     *
     * @param what names the tensor in messages
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT for a negative dimension or too many elements
     */
    public static long elementCount(long[] dims, String what) {
        long count = 1;
        for (long dim : dims) {
            if (dim < 0) {
                throw Status.invalidArgument(what + " has a negative dimension in shape " + Arrays.toString(dims))
                        .asException();
            }
            if (dim != 0 && count > MAX_ELEMENTS / dim) {
                throw Status.invalidArgument(what + ": shape " + Arrays.toString(dims) + " has more than "
                        + MAX_ELEMENTS + " elements").asException();
            }
            count *= dim;
        }
        return count;
    }
}
