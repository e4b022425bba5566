package dev.tern.train.data;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.internal.InputScaling;
import dev.tern.train.internal.OutputScaling;

import java.util.Arrays;

import java.util.Objects;

/**
 * Per-feature scaling with statistics of a training set: {@code (x - offset) / divisor} for
 * each feature position, where standardization takes the mean and standard deviation and
 * min-max scaling the minimum and the range. It scales batches while training (as a
 * {@link Normalization}) and writes the same arithmetic into a trained model as its first
 * nodes ({@link #prependTo}), so the exported model takes the raw features it will be served.
 *
 * <pre>{@code
 * FeatureScaling scaling = FeatureScaling.standardize(split.train());
 * BatchLoader train = BatchLoader.builder(split.train(), 32).normalization(scaling).build();
 * ...
 * Model served = scaling.prependTo(session.exportModel(), "input");
 * }</pre>
 *
 * <p>A feature that is constant in the training set (a border pixel that is always 0) is only
 * shifted, not divided by zero. Make the statistics from the training part only and use the
 * same instance for validation, so no validation data leak into training. Immutable.
 */
public final class FeatureScaling implements Normalization {
    /** Below this spread (standard deviation or range) a feature counts as constant. */
    private static final double CONSTANT_FEATURE_SPREAD = 1e-6;

    private final String method;
    private final long[] featureShape;
    private final float[] offsets;
    private final float[] divisors;

    private FeatureScaling(String method, long[] featureShape, float[] offsets, float[] divisors) {
        this.method = method;
        this.featureShape = featureShape;
        this.offsets = offsets;
        this.divisors = divisors;
    }

    /**
     * Standardization to mean 0 and standard deviation 1 per feature, with the mean and the
     * (population) standard deviation of {@code training}, as scikit-learn's {@code StandardScaler}.
     *
     * @throws DatasetException if the data set is empty
     */
    public static FeatureScaling standardize(Dataset training) {
        FeatureStatistics statistics = FeatureStatistics.of(training);
        int size = training.featureSize();
        float[] offsets = new float[size];
        float[] divisors = new float[size];
        for (int i = 0; i < size; i++) {
            offsets[i] = (float) statistics.means()[i];
            divisors[i] = divisor(statistics.deviations()[i]);
        }
        return new FeatureScaling("standardization", training.featureShape(), offsets, divisors);
    }

    /**
     * Min-max scaling of each feature to [0, 1] over {@code training}, as scikit-learn's
     * {@code MinMaxScaler}; other data may fall outside [0, 1].
     *
     * @throws DatasetException if the data set is empty
     */
    public static FeatureScaling minMax(Dataset training) {
        FeatureStatistics statistics = FeatureStatistics.of(training);
        int size = training.featureSize();
        float[] offsets = new float[size];
        float[] divisors = new float[size];
        for (int i = 0; i < size; i++) {
            offsets[i] = statistics.minimums()[i];
            divisors[i] = divisor((double) statistics.maximums()[i] - statistics.minimums()[i]);
        }
        return new FeatureScaling("min-max scaling", training.featureShape(), offsets, divisors);
    }

    /**
     * Division of every feature by {@code divisor}, for examples of {@code featureShape}: what
     * {@link Normalization#divideBy} does, as a scaling a model can carry.
     *
     * @throws DatasetException if the divisor is zero or not finite
     */
    public static FeatureScaling divideBy(float divisor, long[] featureShape) {
        if (divisor == 0 || !Float.isFinite(divisor)) {
            throw new DatasetException("scaling divisor must be finite and non-zero, found " + divisor);
        }
        int size = Math.toIntExact(Arrays.stream(featureShape).reduce(1, Math::multiplyExact));
        float[] divisors = new float[size];
        Arrays.fill(divisors, divisor);
        return new FeatureScaling("division by " + divisor, featureShape.clone(), new float[size], divisors);
    }

    private static float divisor(double spread) {
        return spread < CONSTANT_FEATURE_SPREAD ? 1f : (float) spread;
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatasetException if {@code featureSize} differs from the training set's
     */
    @Override
    public void apply(float[] values, int offset, int featureSize) {
        if (featureSize != offsets.length) {
            throw new DatasetException(method + " was computed for " + offsets.length
                    + " features, applied to examples of " + featureSize);
        }
        // The same float operations as the Sub and Div nodes of prependTo, so training sees what serving computes.
        for (int i = 0; i < featureSize; i++) {
            values[offset + i] = (values[offset + i] - offsets[i]) / divisors[i];
        }
    }

    /** The subtracted values, one per feature position, in the training set's feature shape. */
    public Tensor offsets() {
        return Tensor.ofFloats("offsets", featureShape, offsets);
    }

    /** The divisors, one per feature position, in the training set's feature shape. */
    public Tensor divisors() {
        return Tensor.ofFloats("divisors", featureShape, divisors);
    }

    /**
     * A copy of {@code model} whose float input {@code inputName} is scaled as this scaling
     * does before anything reads it: a Sub and a Div node with the offsets and divisors as
     * initializers, in the model's own opset. The model's interface is unchanged; {@code model}
     * itself is not changed.
     *
     * @throws dev.tern.train.TrainingException if the model has no such input, the input is not
     *     float {@code [batch, ...feature shape]}, or the model's ai.onnx opset is below 7 (no
     *     broadcasting Sub and Div)
     */
    public Model prependTo(Model model, String inputName) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(inputName, "inputName");
        return InputScaling.prepend(model, inputName, offsets(), divisors());
    }

    /**
     * A copy of {@code model} whose output {@code outputName} is scaled back, {@code output *
     * divisor + offset} per feature: a generator trained on scaled examples then gives them in
     * the data's own scale. {@code model} itself is not changed.
     *
     * @throws dev.tern.train.TrainingException if the model has no such output
     */
    public Model appendInverseTo(Model model, String outputName) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outputName, "outputName");
        return OutputScaling.append(model, outputName, offsets(), divisors());
    }

    @Override
    public String toString() {
        return "FeatureScaling(" + method + " of features " + Shapes.format(featureShape) + ")";
    }
}
