package dev.tern.spark.internal;

/**
 * One row's values for one model input: a primitive array of the input's element type
 * ({@code float[]}, {@code double[]}, {@code long[]} or {@code int[]}) and the row's dimensions
 * (the input's shape without its batch dimension).
 */
public record RowValues(Object values, long[] dims) {
}
