package dev.tern.train;

import dev.tern.train.report.TrainingHistory;
import java.util.Objects;

/**
 * What a {@link Trainer} run did.
 *
 * @param history every epoch's measurements, those before a resumed checkpoint included
 * @param bestEpoch the epoch with the lowest validation loss (from 1), or 0 when there was no
 *     validation data
 * @param stoppedEarly whether early stopping ended the run before the last epoch
 */
public record TrainingOutcome(TrainingHistory history, int bestEpoch, boolean stoppedEarly) {
    public TrainingOutcome {
        Objects.requireNonNull(history, "history");
    }
}
