package dev.tern.cli.internal;

import java.util.Arrays;

/** The latencies one benchmark thread measured, in nanoseconds: a growable array, not thread-safe. */
final class LatencyLog {
    private long[] nanos = new long[1024];
    private int size;

    void add(long latencyNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = latencyNanos;
    }

    int size() {
        return size;
    }

    /** Copies the latencies into {@code target} from {@code offset}. */
    void copyTo(long[] target, int offset) {
        System.arraycopy(nanos, 0, target, offset, size);
    }
}
