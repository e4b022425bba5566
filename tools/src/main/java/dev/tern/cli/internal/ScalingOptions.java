package dev.tern.cli.internal;

import dev.tern.train.data.ScalingMethod;
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

    /** The scaling the options name; none when none is given. */
    ScalingMethod method() {
        if (divisor != null) {
            return ScalingMethod.divideBy(divisor);
        }
        if (standardize) {
            return ScalingMethod.standardize();
        }
        return minMax ? ScalingMethod.minMax() : ScalingMethod.none();
    }

    /** Whether --standardize was given. */
    boolean standardizes() {
        return standardize;
    }
}
