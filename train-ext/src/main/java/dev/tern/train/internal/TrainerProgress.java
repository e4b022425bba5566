package dev.tern.train.internal;

import dev.tern.train.report.TrainingHistory;

import java.util.Map;

/**
 * What a trainer must remember between epochs besides the session's own checkpoint.
 *
 * @param history the epochs run so far
 * @param bestEpoch the epoch with the best value of the monitored metric so far, 0 if none
 * @param bestValue that epoch's value of the metric; before any, a value every measurement
 *     improves on
 * @param scheduleState an adaptive schedule's state after the last epoch, empty if none
 */
public record TrainerProgress(TrainingHistory history, int bestEpoch, double bestValue,
                              Map<String, String> scheduleState) {
    public TrainerProgress {
        scheduleState = Map.copyOf(scheduleState);
    }

    /** Progress without schedule state. */
    public TrainerProgress(TrainingHistory history, int bestEpoch, double bestValue) {
        this(history, bestEpoch, bestValue, Map.of());
    }

    /** The number of the last epoch run, 0 before the first. */
    public int lastEpoch() {
        return history.isEmpty() ? 0 : history.epochs().get(history.epochs().size() - 1).epoch();
    }

    /** This progress with {@code state} as the schedule's state. */
    public TrainerProgress withScheduleState(Map<String, String> state) {
        return new TrainerProgress(history, bestEpoch, bestValue, state);
    }
}
