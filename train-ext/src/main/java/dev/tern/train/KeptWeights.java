package dev.tern.train;

/** Which epoch's weights a {@link Trainer} leaves in the session when it is done. */
public enum KeptWeights {
    /**
     * Those of the best epoch by the trainer's monitor (the lowest validation loss by default),
     * every parameter group's together; needs validation data when the monitor is a validation metric.
     */
    BEST_EPOCH,
    /** Those of the last epoch trained. */
    LAST_EPOCH
}
