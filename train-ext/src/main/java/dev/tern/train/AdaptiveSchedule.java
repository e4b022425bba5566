package dev.tern.train;

import dev.tern.train.report.EpochStats;

import java.util.Map;
import java.util.Optional;

/**
 * A learning-rate schedule that also hears each epoch's results and changes its rates from
 * them, such as {@link ReduceOnPlateau}. Give it to the session as its schedule and to the
 * {@link Trainer} through {@link Trainer.Builder#adaptiveSchedule}: the trainer then tells it
 * every epoch's measurements and keeps its state in the checkpoints, so a resumed run goes on
 * with the rates an uninterrupted one would have had.
 */
public interface AdaptiveSchedule extends LearningRateSchedule {

    /**
     * Takes in one epoch's measurements; the steps of the next epoch see the rate it leads to.
     *
     * @throws TrainingException if the measurement the schedule follows is missing (NaN)
     */
    void onEpoch(EpochStats stats);

    /** Whether {@link #onEpoch} needs validation measurements, so that the trainer can refuse a run without them. */
    default boolean needsValidation() {
        return false;
    }

    /**
     * The named epoch metric the schedule follows, if it follows one, so that the trainer can
     * refuse a run whose validation does not measure it before training.
     */
    default Optional<Monitor> monitor() {
        return Optional.empty();
    }

    /** Everything a resumed run needs to continue the schedule, as text that round-trips exactly. */
    Map<String, String> state();

    /**
     * Continues from a {@link #state()} saved earlier.
     *
     * @throws TrainingException if an entry is missing or cannot be read, naming it and what was found
     */
    void restore(Map<String, String> state);
}
