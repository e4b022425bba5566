package dev.tern.train.data;

/**
 * A fixed per-feature transformation applied to each example as it is batched, so the stored
 * data set stays raw and is held only once. Make statistics-based normalizations from the
 * training part only and use the same instance for validation, so no validation data leak
 * into training.
 */
public interface Normalization {

    /** Transforms the {@code featureSize} values of one example, from {@code offset}, in place. */
    void apply(float[] values, int offset, int featureSize);

    /** Leaves features unchanged. */
    static Normalization none() {
        return (values, offset, featureSize) -> { };
    }

    /**
     * Divides every feature by {@code divisor}, for example 16 for the digits' grey levels or
     * 255 for 8-bit images.
     *
     * @throws DatasetException if the divisor is zero or not finite
     */
    static Normalization divideBy(float divisor) {
        if (divisor == 0 || !Float.isFinite(divisor)) {
            throw new DatasetException("normalization divisor must be finite and non-zero, found " + divisor);
        }
        float factor = 1 / divisor;
        return (values, offset, featureSize) -> {
            for (int i = offset; i < offset + featureSize; i++) {
                values[i] *= factor;
            }
        };
    }

    /**
     * Standardizes each feature position to mean 0 and standard deviation 1 using statistics
     * of {@code training}; see {@link FeatureScaling#standardize}, which can also write the
     * standardization into a trained model.
     *
     * @throws DatasetException if the data set is empty
     */
    static Normalization standardize(Dataset training) {
        return FeatureScaling.standardize(training);
    }
}
