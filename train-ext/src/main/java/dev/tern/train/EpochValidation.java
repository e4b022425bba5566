package dev.tern.train;

import dev.tern.train.data.BatchSource;
import dev.tern.train.report.EpochStats;

import java.util.List;
import java.util.Map;

/**
 * A {@link Trainer}'s validation after each epoch: {@link SessionValidation} for a
 * {@link TrainingSession}, {@link GroupValidation} for a {@link GroupTrainingSession}.
 */
interface EpochValidation {
    /** Makes a trainer's validation. */
    @FunctionalInterface
    interface Factory {
        /**
         * The validation on {@code batches} of the parameter groups named, or of every group
         * (or of a {@link TrainingSession}) when {@code groups} is {@code null}.
         *
         * @throws IllegalStateException if groups are named that cannot be validated
         */
        EpochValidation of(BatchSource batches, List<String> groups);
    }

    /**
     * Checks, before training, that the validation measures the metric {@code monitor} follows
     * when it is a validation metric.
     *
     * @param monitoredBy who follows it, for the message: {@code "the trainer"}, a schedule
     * @throws IllegalStateException if it is known not to, naming the metric and those measured
     */
    void requireMeasures(Monitor monitor, String monitoredBy);

    /**
     * The stats of epoch {@code epoch}: its training measurements, and the validation ones added
     * to {@code metrics}, which already holds the training losses.
     */
    EpochStats measure(int epoch, double trainLoss, double examplesPerSecond, Map<String, Double> metrics);
}
