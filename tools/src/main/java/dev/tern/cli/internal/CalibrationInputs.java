package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.Loss;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.Feed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tern quantize --static}'s calibration batches: a CSV table or an image folder read as
 * {@code tern finetune} reads training data (its table and scaling options), fed to the model's
 * first input. Labels are read but not used.
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
     * The first {@code maxBatches} batches of {@code batchSize} examples of {@code data}, in file
     * order, each a copy (a loader reuses its buffers).
     *
     * @throws CliFailure (usage) if the model's first input does not take float features, the data
     *     cannot be read or do not fit it, or --standardize or --min-max is asked for
     */
    List<Map<String, Tensor>> read(Model model, Path data, int batchSize, int maxBatches) {
        Value input = model.graph().inputs().get(0);
        // Numeric labels: calibration ignores them, so class names need not match the model's outputs.
        TrainingData reader = new TrainingData(table, FeatureShape.ofInput(modelFile, input, featureShape), new TrainingTarget(Loss.meanSquaredError(), 0));
        Dataset examples = reader.readTraining(data);
        if (scaling.fitted(examples).isPresent()) {
            throw CliFailure.usage("--standardize and --min-max fit a scaling while training and write it into the "
                    + "model, which then takes raw features; to calibrate, give --scale or nothing");
        }
        BatchLoader loader = BatchLoader.builder(examples, batchSize)
                .normalization(scaling.normalization(Optional.empty())).build();
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
