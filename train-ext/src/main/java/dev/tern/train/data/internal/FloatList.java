package dev.tern.train.data.internal;

import java.util.Arrays;

/** A growing float array, so readers can collect values without boxing. */
public final class FloatList {
    private float[] values = new float[1024];
    private int size;

    public void add(float value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    public int size() {
        return size;
    }

    /** The values added so far, in an array of exactly that length. */
    public float[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
