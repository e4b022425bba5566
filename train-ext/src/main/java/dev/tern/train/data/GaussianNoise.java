package dev.tern.train.data;

import java.util.Random;

/** Adds independent Gaussian noise of mean 0 and a given standard deviation (in raw feature units) to every value. */
public final class GaussianNoise implements Augmentation {
    private final float stddev;

    /**
     * @throws DatasetException if {@code stddev} is negative or not finite
     */
    public GaussianNoise(float stddev) {
        if (!(stddev >= 0) || !Float.isFinite(stddev)) {
            throw new DatasetException("noise standard deviation must be finite and >= 0, found " + stddev);
        }
        this.stddev = stddev;
    }

    @Override
    public void apply(float[] values, int offset, ImageShape shape, Random random) {
        for (int i = offset; i < offset + shape.size(); i++) {
            values[i] += (float) (random.nextGaussian() * stddev);
        }
    }
}
