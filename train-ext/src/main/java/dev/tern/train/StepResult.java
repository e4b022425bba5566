package dev.tern.train;

import dev.tern.ir.Tensor;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one training step reports.
 *
 * @param step the 0-based index of the step just taken
 * @param learningRate the rate the schedule gave it
 * @param loss the loss on the batch, before the update
 * @param gradientNorm the global gradient norm before clipping, when clipping is on
 * @param prediction a copy of the prediction on the batch, when asked for with
 *     {@link TrainingSession#stepWithPrediction}; the caller owns it
 */
public record StepResult(long step, double learningRate, double loss, OptionalDouble gradientNorm,
                         Optional<Tensor> prediction) {
    public StepResult {
        Objects.requireNonNull(gradientNorm, "gradientNorm");
        Objects.requireNonNull(prediction, "prediction");
    }
}
