package dev.tern.train;

import dev.tern.ir.Tensor;

import java.util.Map;
import java.util.Objects;

/**
 * The forward pass of a batch with the current weights, without an update.
 *
 * @param loss the total loss on the batch
 * @param terms each loss term's value (before its weight) by term name, in term order
 * @param prediction a copy of the first term's output, owned by the caller
 * @param outputs copies of every output a loss term reads, by output name, owned by the caller
 */
public record Evaluation(double loss, Map<String, Double> terms, Tensor prediction, Map<String, Tensor> outputs) {
    public Evaluation {
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(outputs, "outputs");
    }
}
