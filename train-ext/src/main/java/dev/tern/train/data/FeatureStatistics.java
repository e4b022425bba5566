package dev.tern.train.data;

import java.util.Arrays;

/**
 * Per-feature statistics of a data set, each feature position (column, or pixel of an image)
 * on its own: mean, standard deviation (of the population, as scikit-learn's
 * {@code StandardScaler} computes it), minimum and maximum.
 */
record FeatureStatistics(double[] means, double[] deviations, float[] minimums, float[] maximums) {

    /**
     * The statistics of every example of {@code data}.
     *
     * @throws DatasetException if the data set is empty
     */
    static FeatureStatistics of(Dataset data) {
        int size = data.featureSize();
        int count = data.size();
        if (count == 0) {
            throw new DatasetException("cannot compute feature statistics of an empty data set");
        }
        // Sums in double: float sums over thousands of examples lose the small variances.
        double[] sums = new double[size];
        double[] squares = new double[size];
        float[] minimums = new float[size];
        float[] maximums = new float[size];
        Arrays.fill(minimums, Float.POSITIVE_INFINITY);
        Arrays.fill(maximums, Float.NEGATIVE_INFINITY);
        float[] example = new float[size];
        for (int e = 0; e < count; e++) {
            data.copyFeatures(e, example, 0);
            for (int i = 0; i < size; i++) {
                sums[i] += example[i];
                squares[i] += (double) example[i] * example[i];
                minimums[i] = Math.min(minimums[i], example[i]);
                maximums[i] = Math.max(maximums[i], example[i]);
            }
        }
        double[] means = new double[size];
        double[] deviations = new double[size];
        for (int i = 0; i < size; i++) {
            means[i] = sums[i] / count;
            deviations[i] = Math.sqrt(Math.max(0, squares[i] / count - means[i] * means[i]));
        }
        return new FeatureStatistics(means, deviations, minimums, maximums);
    }
}
