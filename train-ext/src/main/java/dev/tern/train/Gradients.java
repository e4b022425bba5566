package dev.tern.train;

import dev.tern.ir.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The first half of a split training step ({@link TrainingSession#computeGradients}): the loss
 * on a batch and the gradient of every trainable weight, for averaging across data-parallel
 * workers before {@link TrainingSession#applyGradients} takes the step.
 *
 * @param step the 0-based index of the step these gradients are for; only that step applies them
 * @param loss the total loss on the batch
 * @param terms each loss term's value (before its weight) by term name, in term order
 * @param values each trainable weight's gradient by weight name, in the session's weight order:
 *     the gradient of the loss (a mean over the batch) with the weight's element type and shape
 */
public record Gradients(long step, double loss, Map<String, Double> terms, Map<String, Tensor> values) {
    public Gradients {
        terms = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(terms, "terms")));
        values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
    }

    /** These gradients with {@code newValues} (averaged ones) in their place and {@code newLoss} as the loss. */
    public Gradients with(double newLoss, Map<String, Tensor> newValues) {
        return new Gradients(step, newLoss, terms, newValues);
    }
}
