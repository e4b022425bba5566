package dev.tern.train;

/** Which epoch's weights a {@link Trainer} leaves in the session when it is done. */
public enum KeptWeights {
    /** Those of the epoch with the lowest validation loss; needs validation data. */
    BEST_EPOCH,
    /** Those of the last epoch trained. */
    LAST_EPOCH
}
