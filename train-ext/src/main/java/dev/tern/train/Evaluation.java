package dev.tern.train;

import dev.tern.ir.Tensor;

import java.util.Objects;

/**
 * The forward pass of a batch with the current weights, without an update.
 *
 * @param loss the loss on the batch
 * @param prediction a copy of the prediction, owned by the caller
 */
public record Evaluation(double loss, Tensor prediction) {
    public Evaluation {
        Objects.requireNonNull(prediction, "prediction");
    }
}
