package dev.tern.train.data;

import dev.tern.ir.Tensor;

import java.util.Map;
import java.util.Objects;

/**
 * One mini-batch as a model takes it: the tensors for its inputs, by input name, and the
 * labels the loss compares the prediction with ({@code [size]} int64 class indices, or float
 * class rows or targets). Like {@link Batch}, the tensors may be views of a loader's reused
 * buffers, valid until the loader produces its next batch.
 *
 * @param inputs the model's inputs, by name
 * @param labels the labels, one row per example
 */
public record Feed(Map<String, Tensor> inputs, Tensor labels) {
    public Feed {
        inputs = Map.copyOf(inputs);
        Objects.requireNonNull(labels, "labels");
    }

    /** The number of examples in the batch (the labels' leading dimension). */
    public int size() {
        return (int) labels.dims()[0];
    }
}
