package dev.tern.train.data.internal;

import java.util.Arrays;

/** A growing long array, so readers can collect labels without boxing. */
public final class LongList {
    private long[] values = new long[256];
    private int size;

    public void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    /** The values added so far, in an array of exactly that length. */
    public long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
