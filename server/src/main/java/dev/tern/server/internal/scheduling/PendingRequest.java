package dev.tern.server.internal.scheduling;

import dev.tern.exec.Adapter;
import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One request waiting in a {@link RequestScheduler}: its checked inputs of {@code rows} rows, the
 * LoRA adapter it runs with (null for the base model), when it arrived ({@link System#nanoTime()}),
 * its deadline, where it waits (priority level and queue timeout) and the future its outputs
 * complete. {@code shapeKey} holds every input's dims but the first: what must agree to batch,
 * besides the adapter.
 */
record PendingRequest(Map<String, Tensor> inputs, long rows, String shapeKey, Adapter adapter, Deadline deadline,
                      long arrived, QueuePlacement placement, CompletableFuture<Map<String, Tensor>> result) {
    static PendingRequest of(Map<String, Tensor> inputs, long rows, Adapter adapter, Deadline deadline, long arrived,
                             QueuePlacement placement) {
        return new PendingRequest(inputs, rows, shapeKey(inputs), adapter, deadline, arrived, placement,
                new CompletableFuture<>());
    }

    /**
     * Whether this request may share a run with {@code other}: both run with the same adapter (or
     * none), since one run applies one, and every input agrees on every dim but the first.
     */
    boolean batchesWith(PendingRequest other) {
        return adapter == other.adapter && shapeKey.equals(other.shapeKey);
    }
    private static String shapeKey(Map<String, Tensor> inputs) {
        StringBuilder key = new StringBuilder();
        for (Map.Entry<String, Tensor> input : new TreeMap<>(inputs).entrySet()) {
            long[] dims = input.getValue().dims();
            // A model that does not batch may take scalars, which have no dim 0 to leave out.
            long[] perRow = Arrays.copyOfRange(dims, Math.min(1, dims.length), dims.length);
            key.append(input.getKey()).append(Arrays.toString(perRow)).append(';');
        }
        return key.toString();
    }
}
