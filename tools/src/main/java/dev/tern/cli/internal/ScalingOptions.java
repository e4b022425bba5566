package dev.tern.cli.internal;

import dev.tern.train.data.Dataset;
import dev.tern.train.data.FeatureScaling;
import dev.tern.train.data.Normalization;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code tern finetune}'s feature scaling, one of: {@code --scale S} (every feature divided
 * by S while training; the exported model expects features so divided), {@code --standardize}
 * or {@code --min-max} (per feature, from the training part's statistics, and written into the
 * exported model as its first nodes, so it takes raw features). An exclusive argument group.
 */
final class ScalingOptions {
    @Option(names = "--scale", paramLabel = "S",
            description = "Divide every feature by S while training, as 16 for digits or 255 for images; the written "
                    + "model then expects features divided by S.")
    private Float divisor;

    @Option(names = "--standardize",
            description = "Standardize each feature with the mean and standard deviation of the training data, and "
                    + "write that into the model's first nodes, so it takes raw features.")
    private boolean standardize;

    @Option(names = "--min-max",
            description = "Scale each feature to [0, 1] by the minimum and maximum of the training data, and write "
                    + "that into the model's first nodes, so it takes raw features.")
    private boolean minMax;

    /** Whether any scaling option was given. */
    boolean given() {
        return divisor != null || standardize || minMax;
    }

    /** Checks --scale's divisor. @throws CliFailure (usage) unless it is finite and above 0 */
    void check() {
        if (divisor != null && (!(divisor > 0) || !Float.isFinite(divisor))) {
            throw CliFailure.usage("--scale must be above 0, found " + divisor);
        }
    }

    /** The per-feature scaling fitted to {@code training}, with --standardize or --min-max. */
    Optional<FeatureScaling> fitted(Dataset training) {
        if (standardize) {
            return Optional.of(FeatureScaling.standardize(training));
        }
        return minMax ? Optional.of(FeatureScaling.minMax(training)) : Optional.empty();
    }

    /**
     * The scaling a GAN trains on and its generator's output is scaled back through: --min-max
     * fitted to {@code training}, --scale's division for examples of {@code exampleShape}, or none.
     *
     * @throws CliFailure (usage) with --standardize, whose values a generator's Sigmoid cannot reach
     */
    Optional<FeatureScaling> forGenerator(Dataset training, long[] exampleShape) {
        if (standardize) {
            throw CliFailure.usage("--task gan generates values in [0, 1]: scale the data with --scale or --min-max, "
                    + "not --standardize");
        }
        if (divisor != null) {
            return Optional.of(FeatureScaling.divideBy(divisor, exampleShape));
        }
        return fitted(training);
    }

    /** How batches are scaled: by the {@code fitted} scaling, else by --scale's divisor. */
    Normalization normalization(Optional<FeatureScaling> fitted) {
        if (fitted.isPresent()) {
            return fitted.get();
        }
        return divisor == null ? Normalization.none() : Normalization.divideBy(divisor);
    }
}
