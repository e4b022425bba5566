package dev.tern.train.data;

import java.util.Random;

/**
 * A random change to one image-shaped example, applied by {@link BatchLoader} to each training
 * example as it is batched, before normalization (so a shift fills with raw zeros, the
 * background of most images). All randomness comes from the given {@link Random}, which the
 * loader seeds per epoch: the same seed gives the same augmented batches.
 */
public interface Augmentation {

    /** Changes the {@code shape.size()} values of one example, from {@code offset}, in place. */
    void apply(float[] values, int offset, ImageShape shape, Random random);
}
