package dev.tern.spark.internal;

/** One row's outcome: its output columns' values, or why the row could not be run. */
public record RowResult(Object[] outputs, String error) {
    public static RowResult ok(Object[] outputs) {
        return new RowResult(outputs, null);
    }

    public static RowResult failed(String error) {
        return new RowResult(null, error);
    }
}
