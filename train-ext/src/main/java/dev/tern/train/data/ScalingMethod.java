package dev.tern.train.data;

import java.util.Optional;

/**
 * How the features of a fine-tuning are scaled: not at all, divided by one number (the
 * exported model then expects features so divided), or standardized or min-max scaled per
 * feature with the training part's statistics, which a {@link FeatureScaling} writes into
 * the exported model as its first nodes so it takes raw features. Immutable.
 */
public final class ScalingMethod {
    private enum Kind { NONE, DIVIDE, STANDARDIZE, MIN_MAX }

    private static final ScalingMethod NONE = new ScalingMethod(Kind.NONE, 1);
    private static final ScalingMethod STANDARDIZE = new ScalingMethod(Kind.STANDARDIZE, 1);
    private static final ScalingMethod MIN_MAX = new ScalingMethod(Kind.MIN_MAX, 1);

    private final Kind kind;
    private final float divisor;

    private ScalingMethod(Kind kind, float divisor) {
        this.kind = kind;
        this.divisor = divisor;
    }

    /** Features as they are. */
    public static ScalingMethod none() {
        return NONE;
    }

    /**
     * Every feature divided by {@code divisor} while training, as 16 for digits or 255 for
     * images; the exported model expects features so divided.
     *
     * @throws IllegalArgumentException unless {@code divisor} is finite and above 0
     */
    public static ScalingMethod divideBy(float divisor) {
        if (!(divisor > 0) || !Float.isFinite(divisor)) {
            throw new IllegalArgumentException("scaling divisor must be finite and above 0, found " + divisor);
        }
        return new ScalingMethod(Kind.DIVIDE, divisor);
    }

    /** Each feature standardized with the training part's mean and standard deviation; see {@link FeatureScaling#standardize}. */
    public static ScalingMethod standardize() {
        return STANDARDIZE;
    }

    /** Each feature scaled to [0, 1] by the training part's minimum and maximum; see {@link FeatureScaling#minMax}. */
    public static ScalingMethod minMax() {
        return MIN_MAX;
    }

    /** Whether this scaling changes the features at all. */
    public boolean scales() {
        return kind != Kind.NONE;
    }

    /**
     * Whether this scaling is fitted to the training data's statistics (standardization,
     * min-max), and so carried by the exported model.
     */
    public boolean fitted() {
        return kind == Kind.STANDARDIZE || kind == Kind.MIN_MAX;
    }

    /** Whether this is {@link #standardize()}, whose values a generator's Sigmoid cannot reach. */
    public boolean standardizes() {
        return kind == Kind.STANDARDIZE;
    }

    /**
     * The per-feature scaling fitted to {@code training}, which the exported model carries;
     * empty for no scaling or a division, which the model does not carry.
     *
     * @throws DatasetException if {@code training} is empty
     */
    public Optional<FeatureScaling> fit(Dataset training) {
        return switch (kind) {
            case STANDARDIZE -> Optional.of(FeatureScaling.standardize(training));
            case MIN_MAX -> Optional.of(FeatureScaling.minMax(training));
            case NONE, DIVIDE -> Optional.empty();
        };
    }

    /**
     * The scaling of every example of {@code training}, a division included, as one the
     * model can carry: a GAN trains on it and its generator's output is scaled back through it.
     *
     * @throws DatasetException if {@code training} is empty
     */
    public Optional<FeatureScaling> fitWithDivision(Dataset training) {
        if (kind == Kind.DIVIDE) {
            return Optional.of(FeatureScaling.divideBy(divisor, training.featureShape()));
        }
        return fit(training);
    }

    /** How batches are scaled: by the {@code fitted} scaling, else by this division, else not at all. */
    public Normalization normalization(Optional<FeatureScaling> fitted) {
        if (fitted.isPresent()) {
            return fitted.get();
        }
        return kind == Kind.DIVIDE ? Normalization.divideBy(divisor) : Normalization.none();
    }

    @Override
    public String toString() {
        return kind == Kind.DIVIDE ? "ScalingMethod(division by " + divisor + ")" : "ScalingMethod(" + kind + ")";
    }
}
