package dev.tern.train.data;

import dev.tern.ir.Tensor;

/**
 * One mini-batch from a {@link BatchLoader}: features {@code [size, ...feature shape]} float32
 * and labels: {@code [size]} int64 class indices, {@code [size, classes]} float32 one-hot (or,
 * with mixup, mixed) class rows, or {@code [size, ...target shape]} float32 targets. Both
 * tensors are views of the loader's reused direct buffers: their contents are valid only
 * until the loader produces its next batch. Copy them to keep them.
 *
 * @param features the tensor named "features"
 * @param labels the tensor named "labels"
 */
public record Batch(Tensor features, Tensor labels) {

    /** The number of examples in the batch (the leading dimension). */
    public int size() {
        return (int) features.dims()[0];
    }
}
