package dev.tern.train.report;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one training epoch measured. A run without validation data gives {@link Double#NaN}
 * for the validation fields, and so does a measurement that does not apply (accuracy of a
 * regression, RMSE of a classifier); charts and tables leave NaN values out.
 *
 * @param epoch the epoch number, from 1
 * @param trainLoss the mean training loss over the epoch
 * @param validationLoss the mean validation loss after the epoch
 * @param validationAccuracy the fraction (0 to 1) of validation examples classified right (by
 *     the first loss term's output against its target, as the next two errors)
 * @param examplesPerSecond training throughput over the epoch
 * @param validationRmse the root mean squared error of the validation predictions against
 *     float targets, over every target element
 * @param validationMae the mean absolute error of the validation predictions against float
 *     targets, over every target element
 * @param metrics every measurement by name, sorted by name: {@code train.loss} and
 *     {@code validation.loss} (the totals), {@code train.loss.TERM} and
 *     {@code validation.loss.TERM} (each loss term), and for a term whose target a batch holds,
 *     {@code validation.TERM.accuracy} (class indices against scores),
 *     {@code validation.TERM.mse} and {@code validation.TERM.mae} (float targets of the
 *     output's shape); validation entries only with validation data. A group session's terms
 *     are its parameter groups ({@code train.loss.GROUP}, {@code validation.loss.GROUP}), with
 *     {@code validation.loss.GROUP.TERM} for each term of a group's loss
 */
public record EpochStats(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
                         double examplesPerSecond, double validationRmse, double validationMae,
                         Map<String, Double> metrics) {
    /** What a loss term's training metric is named before the term: {@code train.loss.TERM}. */
    public static final String TRAIN_TERM_PREFIX = "train.loss.";
    /** What a loss term's validation metric is named before the term: {@code validation.loss.TERM}. */
    public static final String VALIDATION_TERM_PREFIX = "validation.loss.";

    /**
     * @throws IllegalArgumentException if the epoch is below 1, the accuracy is outside [0, 1],
     *     the throughput or an error is negative
     */
    public EpochStats {
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs count from 1, found " + epoch);
        }
        if (validationAccuracy < 0 || validationAccuracy > 1) {
            throw new IllegalArgumentException("epoch " + epoch + ": accuracy must be in [0, 1], found " + validationAccuracy);
        }
        if (examplesPerSecond < 0) {
            throw new IllegalArgumentException("epoch " + epoch + ": examples/s must be >= 0, found " + examplesPerSecond);
        }
        if (validationRmse < 0 || validationMae < 0) {
            throw new IllegalArgumentException("epoch " + epoch + ": errors must be >= 0, found RMSE " + validationRmse
                    + " and MAE " + validationMae);
        }
        metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    /** An epoch measured only by the fixed fields, with no named metrics. */
    public EpochStats(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
                      double examplesPerSecond, double validationRmse, double validationMae) {
        this(epoch, trainLoss, validationLoss, validationAccuracy, examplesPerSecond, validationRmse, validationMae,
                Map.of());
    }

    /**
     * The metric named {@code name}.
     *
     * @throws IllegalArgumentException if this epoch has no such metric, naming those it has
     */
    public double metric(String name) {
        Double value = metrics.get(name);
        if (value == null) {
            throw new IllegalArgumentException("epoch " + epoch + " has no metric named '" + name + "'; it has "
                    + metrics.keySet());
        }
        return value;
    }

    /** An epoch without regression errors (a classifier, or no validation data). */
    public EpochStats(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
                      double examplesPerSecond) {
        this(epoch, trainLoss, validationLoss, validationAccuracy, examplesPerSecond, Double.NaN, Double.NaN, Map.of());
    }
}
