package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.ir.Value;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The data options of every command that trains or calibrates on a table or an image folder
 * ({@code finetune}, {@code prune}, {@code distill}, {@code quantize}): the training data, the
 * validation data or split, the CSV layout, the feature scaling and the shape of one example.
 * A picocli mixin, so each option is declared, described and defaulted once.
 */
final class DataOptions {
    // Groups with headings, so the options show as sections of each command's help. The exclusive
    // groups stay outside the first: nested in it, picocli reports their conflicts as a second match
    // of the whole group instead of naming the two options.
    @ArgGroup(exclusive = false, heading = "%nData:%n")
    private Values values = new Values();

    @ArgGroup(exclusive = true, heading = "%nValidation data, one of:%n")
    private ValidationSource validationSource;

    @ArgGroup(exclusive = true, heading = "%nFeature scaling, one of:%n")
    private ScalingOptions scaling;

    /** The options' values, their defaults when none is given (picocli then leaves the field as it is). */
    private static final class Values {
        @Option(names = "--train", paramLabel = "DATA",
                description = "Training data: a .csv file (one label column, every other column a feature) or a "
                        + "folder of images with one sub-folder per class.")
        private Path train;

        @ArgGroup(exclusive = false)
        private CsvTableOptions table = new CsvTableOptions();

        @Option(names = "--feature-shape", paramLabel = "DIMS",
                description = "Shape of one example, as 1x8x8 (default: the model's first input without its batch "
                        + "dimension).")
        private String featureShape;
    }

    /** --train, or null when not given. */
    Path train() {
        return values.train;
    }

    /** Whether --validation or --split was given. */
    boolean validated() {
        return validationSource != null;
    }

    /** --validation, or null. */
    Path validation() {
        return validationSource == null ? null : validationSource.data;
    }

    /** --split, or null. */
    Double split() {
        return validationSource == null ? null : validationSource.fraction;
    }

    CsvTableOptions table() {
        return values.table;
    }

    /** The scaling options; picocli leaves the exclusive group null when none is given. */
    ScalingOptions scaling() {
        return scaling != null ? scaling : new ScalingOptions();
    }

    /** --feature-shape, or null for the model input's shape. */
    String featureShape() {
        return values.featureShape;
    }

    /**
     * Checks the table and scaling options before any file is read.
     *
     * @throws CliFailure (usage) naming the bad option
     */
    void check() {
        values.table.check();
        scaling().check();
    }

    /**
     * The batches of --train and of the validation data (--validation, --split or none) for
     * {@code model}'s first input and its output {@code prediction}, batched and shuffled as
     * {@code training} says.
     *
     * @param modelFile where {@code model} was read, which messages name
     * @throws CliFailure (usage) as {@link FeatureInputs#prepare}
     */
    TrainingInputs prepare(Path modelFile, Model model, Value prediction, TrainingTarget target,
                           AugmentationPlan augmentations, TrainingOptions training) {
        FeatureInputs features = new FeatureInputs(modelFile, values.table, scaling(), values.featureShape, augmentations,
                training.batch(), training.seed());
        return features.prepare(model, prediction, target, values.train, validation(), split());
    }
}
