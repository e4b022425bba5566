package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.train.FeatureDataBuilder;
import dev.tern.train.FineTuneData;
import dev.tern.train.TextDataBuilder;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
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
     * The data of --train and the validation data (--validation, --split or none) for
     * {@code model}'s first input, read as these options and {@code training}'s batch size and
     * seed say, and as {@code settings} adds (the loss, the output, the task, augmentations).
     *
     * @param modelFile where {@code model} was read, which messages about it name
     * @throws CliFailure (usage) with the library's message if the data cannot be read or do
     *     not fit the model
     */
    FineTuneData prepare(Path modelFile, Model model, TrainingOptions training,
                         UnaryOperator<FeatureDataBuilder> settings) {
        FeatureDataBuilder builder = FineTuneData.features(model, values.train)
                .layout(values.table.layout())
                .scaling(scaling().method())
                .batch(training.batch())
                .seed(training.seed());
        if (values.featureShape != null) {
            builder.featureShape(FeatureShape.parse(values.featureShape));
        }
        if (validation() != null) {
            builder.validation(validation());
        } else if (split() != null) {
            builder.split(split());
        }
        return LibraryRefusals.asUsage(modelFile, settings.apply(builder)::prepare);
    }

    /**
     * The labelled texts of --train and the validation texts (--validation, --split or none)
     * for a classification head on {@code encoder}, batched as {@code training} says and read
     * as {@code settings} says (the columns, the tokens).
     *
     * @throws CliFailure (usage) as {@link #prepare}
     */
    FineTuneData prepareText(Path modelFile, Model encoder, Path tokenizer, TrainingOptions training,
                             UnaryOperator<TextDataBuilder> settings) {
        TextDataBuilder builder = FineTuneData.text(encoder, values.train, tokenizer)
                .batch(training.batch())
                .seed(training.seed());
        if (validation() != null) {
            builder.validation(validation());
        } else if (split() != null) {
            builder.split(split());
        }
        return LibraryRefusals.asUsage(modelFile, settings.apply(builder)::prepare);
    }
}
