package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.Loss;
import dev.tern.train.TrainingTarget;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.ExampleFiles;
import dev.tern.train.data.ExampleShape;
import dev.tern.train.data.Feed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tern quantize --static}'s data: calibration batches and, for the accuracy guard,
 * labelled validation batches, each a CSV table or an image folder read as {@code tern finetune}
 * reads training data (its table and scaling options), fed to the model's first input.
 */
final class CalibrationInputs {
    private final Path modelFile;
    private final CsvTableOptions table;
    private final ScalingOptions scaling;
    private final String featureShape;

    /** @param featureShape --feature-shape, or null for the model input's shape */
    CalibrationInputs(Path modelFile, CsvTableOptions table, ScalingOptions scaling, String featureShape) {
        this.modelFile = modelFile;
        this.table = table;
        this.scaling = scaling;
        this.featureShape = featureShape;
    }

    /**
     * The first {@code maxBatches} batches of {@code batchSize} examples of {@code data}, in file order.
     *
     * @throws CliFailure (usage) if the model's first input does not take float features, the data
     *     cannot be read or do not fit it, or --standardize or --min-max is asked for
     */
    List<Map<String, Tensor>> calibration(Model model, Path data, int batchSize, int maxBatches) {
        // Numeric labels: calibration ignores them, so class names need not match the model's outputs.
        Dataset examples = read(model, data, 0);
        return batches(model, examples, batchSize, maxBatches);
    }

    /**
     * All of {@code data} with class labels for the model's first output's classes, and its batches.
     *
     * @throws CliFailure (usage) as {@link #calibration}, or if the first output is not
     *     {@code [batch, classes]} scores or a label is not one of its classes
     */
    ValidationAccuracy validation(Model model, Path data, int batchSize) {
        Value scores = model.graph().outputs().get(0);
        TrainingTarget target = LibraryRefusals.asUsage(modelFile, () -> TrainingTarget.of(Loss.crossEntropy(), scores, false));
        Dataset examples = read(model, data, target.classCount());
        return new ValidationAccuracy(batches(model, examples, batchSize, Integer.MAX_VALUE), examples, scores.name());
    }

    /** @param classCount the classes the labels name, or 0 for numbers (which calibration ignores) */
    private Dataset read(Model model, Path data, int classCount) {
        if (scaling.method().fitted()) {
            throw CliFailure.usage("--standardize and --min-max fit a scaling while training and write it into the "
                    + "model, which then takes raw features; to calibrate, give --scale or nothing");
        }
        Value input = model.graph().inputs().get(0);
        long[] given = featureShape == null ? null : FeatureShape.parse(featureShape);
        return LibraryRefusals.asUsage(modelFile, () -> ExampleFiles.of(table.layout(),
                ExampleShape.ofInput(model, input, given), classCount).readTraining(data));
    }

    /** The first {@code maxBatches} batches of {@code examples} in order, each a copy (a loader reuses its buffers). */
    private List<Map<String, Tensor>> batches(Model model, Dataset examples, int batchSize, int maxBatches) {
        Value input = model.graph().inputs().get(0);
        BatchLoader loader = BatchLoader.builder(examples, batchSize)
                .normalization(scaling.method().normalization(Optional.empty())).build();
        List<Map<String, Tensor>> batches = new ArrayList<>();
        for (Feed feed : loader.feeding(input.name()).epoch(0)) {
            if (batches.size() == maxBatches) {
                break;
            }
            Tensor features = feed.inputs().get(input.name());
            batches.add(Map.of(input.name(), Tensor.ofFloats(input.name(), features.dims(), features.toFloatArray())));
        }
        return batches;
    }
}
