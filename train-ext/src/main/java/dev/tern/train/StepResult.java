package dev.tern.train;

import dev.tern.ir.Tensor;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one training step reports.
 *
 * @param step the 0-based index of the step just taken
 * @param learningRate the rate the schedule gave it
 * @param loss the total loss on the batch, before the update
 * @param terms each loss term's value (before its weight) by term name, in term order
 * @param gradientNorm the global gradient norm before clipping, when clipping is on
 * @param prediction a copy of the prediction (the first term's output) on the batch, when
 *     asked for with {@link TrainingSession#stepWithPrediction}; the caller owns it
 */
public record StepResult(long step, double learningRate, double loss, Map<String, Double> terms,
                         OptionalDouble gradientNorm, Optional<Tensor> prediction) {
    public StepResult {
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(gradientNorm, "gradientNorm");
        Objects.requireNonNull(prediction, "prediction");
    }
}
