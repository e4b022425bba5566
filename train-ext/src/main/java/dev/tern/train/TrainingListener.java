package dev.tern.train;

import dev.tern.train.report.EpochStats;

/**
 * Hears a {@link Trainer}'s progress, on the training thread: keep the callbacks quick, since
 * the next step waits for them. Both methods do nothing by default.
 */
public interface TrainingListener {
    /** Called after every training step. */
    default void onStep(StepProgress progress) {
    }

    /** Called after every epoch, once its validation has run. */
    default void onEpoch(EpochStats stats) {
    }
}
