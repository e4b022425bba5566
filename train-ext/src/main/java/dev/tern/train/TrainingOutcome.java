package dev.tern.train;

import dev.tern.train.report.TrainingHistory;
import java.util.Objects;

/**
 * What a {@link Trainer} run did.
 *
 * @param history every epoch's measurements, those before a resumed checkpoint included
 * @param bestEpoch the epoch with the best value of the monitored metric (from 1), or 0 when
 *     it was not measured (a validation metric without validation data)
 * @param stoppedEarly whether early stopping ended the run before the last epoch
 * @param keptEpoch the epoch whose weights the session holds at the end: the best or the
 *     last, as {@link Trainer.Builder#keep} asked (from 1; 0 when no epoch ran)
 */
public record TrainingOutcome(TrainingHistory history, int bestEpoch, boolean stoppedEarly, int keptEpoch) {
    public TrainingOutcome {
        Objects.requireNonNull(history, "history");
    }
}
