package dev.tern.bench;

import dev.tern.ir.ElementType;

import java.nio.ByteBuffer;

/** Nested Java arrays ({@code float[][]}, {@code long[][]}) holding a benchmark input, as most ORT users pass data. */
final class JavaArrays {
    private JavaArrays() {
    }

    /** A rank-2 input as {@code float[rows][cols]} or {@code long[rows][cols]}. */
    static Object of(BenchCase.Input input) {
        if (input.shape().length != 2) {
            throw new IllegalArgumentException("only rank-2 inputs are converted, found rank " + input.shape().length);
        }
        int rows = Math.toIntExact(input.shape()[0]);
        int cols = Math.toIntExact(input.shape()[1]);
        ByteBuffer data = input.data();
        if (input.type() == ElementType.FLOAT) {
            float[][] values = new float[rows][cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    values[r][c] = data.getFloat((r * cols + c) * 4);
                }
            }
            return values;
        }
        if (input.type() == ElementType.INT64) {
            long[][] values = new long[rows][cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    values[r][c] = data.getLong((r * cols + c) * 8);
                }
            }
            return values;
        }
        throw new IllegalArgumentException("no Java array form for " + input.type());
    }
}
