package dev.tern.train;

import dev.tern.train.report.EpochStats;

import java.util.Objects;

/**
 * The epoch metric a {@link Trainer} picks its best epoch by and stops early on, with the
 * direction that counts as better: {@code Monitor.lowest("validation.loss")} (the default),
 * {@code Monitor.highest("validation.logits.accuracy")},
 * {@code Monitor.lowest("validation.reconstruction.mse")}, {@code Monitor.validationLoss("generator")}.
 * The names are those of {@link EpochStats#metrics()}.
 *
 * @param metric the metric's name
 * @param higherIsBetter whether a higher value is better (accuracy) or a lower one (losses, errors)
 */
public record Monitor(String metric, boolean higherIsBetter) {
    /** The default: the total validation loss, lower is better. */
    public static final Monitor VALIDATION_LOSS = lowest("validation.loss");

    /** @throws IllegalArgumentException if the metric name is empty */
    public Monitor {
        Objects.requireNonNull(metric, "metric");
        if (metric.isEmpty()) {
            throw new IllegalArgumentException("a monitored metric needs a name");
        }
    }

    /** Monitors {@code metric}, lower being better. */
    public static Monitor lowest(String metric) {
        return new Monitor(metric, false);
    }

    /**
     * Monitors the validation loss of a loss term, or of a {@link GroupTrainingSession}'s
     * parameter group ({@code "generator"}) or one of its terms ({@code "discriminator.real_score"}):
     * {@code validation.loss.NAME}, lower being better.
     */
    public static Monitor validationLoss(String termOrGroup) {
        return lowest(EpochStats.VALIDATION_TERM_PREFIX + termOrGroup);
    }

    /** Monitors {@code metric}, higher being better. */
    public static Monitor highest(String metric) {
        return new Monitor(metric, true);
    }

    /** Whether {@code candidate} improves on {@code best}; NaN never does. */
    public boolean improves(double candidate, double best) {
        return higherIsBetter ? candidate > best : candidate < best;
    }

    /** The value every real measurement improves on. */
    public double worst() {
        return higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** Whether the metric is measured on validation data. */
    public boolean needsValidation() {
        return metric.startsWith("validation.");
    }
}
