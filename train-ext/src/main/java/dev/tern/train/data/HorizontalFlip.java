package dev.tern.train.data;

import java.util.Random;

/**
 * Mirrors the image left to right with a given probability. Suits photos; not digits or
 * text, whose meaning changes when mirrored.
 */
public final class HorizontalFlip implements Augmentation {
    private final double probability;

    /**
     * @throws DatasetException if {@code probability} is outside [0, 1]
     */
    public HorizontalFlip(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new DatasetException("flip probability must be in [0, 1], found " + probability);
        }
        this.probability = probability;
    }

    @Override
    public void apply(float[] values, int offset, ImageShape shape, Random random) {
        // Draw even when the probability is 0 or 1 so that the random stream, and with it every
        // later augmentation, does not depend on the probability's value.
        if (random.nextDouble() >= probability) {
            return;
        }
        int w = shape.width();
        for (int row = 0; row < shape.channels() * shape.height(); row++) {
            int start = offset + row * w;
            for (int left = start, right = start + w - 1; left < right; left++, right--) {
                float swap = values[left];
                values[left] = values[right];
                values[right] = swap;
            }
        }
    }
}
