package dev.tern.train.data;

/** Per-feature standardization with statistics computed once from a training set. */
final class FeatureStandardization implements Normalization {
    /** Below this standard deviation a feature counts as constant and is only centred. */
    private static final double CONSTANT_FEATURE_STD = 1e-6;

    private final float[] means;
    private final float[] inverseStds;

    private FeatureStandardization(float[] means, float[] inverseStds) {
        this.means = means;
        this.inverseStds = inverseStds;
    }

    static FeatureStandardization of(Dataset training) {
        int size = training.featureSize();
        int count = training.size();
        if (count == 0) {
            throw new DatasetException("cannot compute standardization statistics from an empty data set");
        }
        // Sums in double: float sums over thousands of examples lose the small variances.
        double[] sums = new double[size];
        double[] squares = new double[size];
        float[] example = new float[size];
        for (int e = 0; e < count; e++) {
            training.copyFeatures(e, example, 0);
            for (int i = 0; i < size; i++) {
                sums[i] += example[i];
                squares[i] += (double) example[i] * example[i];
            }
        }
        float[] means = new float[size];
        float[] inverseStds = new float[size];
        for (int i = 0; i < size; i++) {
            double mean = sums[i] / count;
            double variance = Math.max(0, squares[i] / count - mean * mean);
            double std = Math.sqrt(variance);
            means[i] = (float) mean;
            inverseStds[i] = std < CONSTANT_FEATURE_STD ? 1f : (float) (1 / std);
        }
        return new FeatureStandardization(means, inverseStds);
    }

    @Override
    public void apply(float[] values, int offset, int featureSize) {
        if (featureSize != means.length) {
            throw new DatasetException("standardization was computed for " + means.length
                    + " features, applied to examples of " + featureSize);
        }
        for (int i = 0; i < featureSize; i++) {
            values[offset + i] = (values[offset + i] - means[i]) * inverseStds[i];
        }
    }
}
