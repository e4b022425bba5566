package dev.tern.train.data.internal;

import java.util.Random;

/** Seeded reordering of index arrays. */
public final class Permutations {
    private Permutations() {
    }

    /** A copy of {@code values} in an order drawn from {@code random} (Fisher-Yates). */
    public static int[] shuffle(int[] values, Random random) {
        int[] shuffled = values.clone();
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = swap;
        }
        return shuffled;
    }

    /**
     * A seed for one epoch of a run seeded with {@code seed}, so each epoch gets its own but
     * reproducible order (SplitMix64's finalizer spreads neighbouring epochs apart).
     */
    public static long epochSeed(long seed, long epoch) {
        long z = seed + (epoch + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
