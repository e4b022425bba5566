package dev.tern.spark;

import dev.tern.ir.Tensor;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Turns a task's share of a global batch, rows of its partition, into the tensors a training
 * step feeds: the model's inputs and the loss's targets by name
 * ({@link dev.tern.train.TrainingSession#targetColumns()}). Serialized to the executors.
 *
 * @param <T> the type of the rows of the data set being trained on
 */
@FunctionalInterface
public interface BatchAssembler<T> extends Serializable {
    /** The batch of {@code rows} (at least one), in their order. */
    Map<String, Tensor> batch(List<T> rows);
}
