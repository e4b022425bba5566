package dev.tern.train.data;

/**
 * Mini-batches of a data set, epoch by epoch, ready to feed a model: what
 * {@link dev.tern.train.Trainer} trains and validates on. {@link BatchLoader#feeding} makes one
 * from numeric features; {@link TextBatchLoader} from tokenized text.
 */
public interface BatchSource {
    /** The number of batches one epoch yields. */
    int batchCount();

    /**
     * The batches of epoch {@code epoch} (counted from 0). Iterating the same epoch again gives
     * the same batches.
     */
    Iterable<Feed> epoch(long epoch);
}
