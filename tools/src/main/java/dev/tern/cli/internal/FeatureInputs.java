package dev.tern.cli.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.data.Augmentation;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.FeatureScaling;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.Split;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code tern finetune}'s path for numeric features: a CSV table or an image folder, fed to the
 * model's first input, scaled as the options say (per-feature scaling fitted to the training
 * part only), and labelled as the {@link TrainingTarget} wants.
 */
final class FeatureInputs {
    private final Path modelFile;
    private final CsvTableOptions table;
    private final ScalingOptions scaling;
    private final String featureShape;
    private final AugmentationPlan augmentations;
    private final int batch;
    private final long seed;

    /**
     * @param featureShape --feature-shape, or null for the model input's shape
     * @param augmentations the training images' augmentations, maybe none
     */
    FeatureInputs(Path modelFile, CsvTableOptions table, ScalingOptions scaling, String featureShape,
                  AugmentationPlan augmentations, int batch, long seed) {
        this.modelFile = modelFile;
        this.table = table;
        this.scaling = scaling;
        this.featureShape = featureShape;
        this.augmentations = augmentations;
        this.batch = batch;
        this.seed = seed;
    }

    /**
     * The batches of {@code train} and of the validation data: the file {@code validation}, a
     * {@code validationFraction} of {@code train}, or neither (both null).
     *
     * @throws CliFailure (usage) if the model's first input takes neither float features nor
     *     int64 token ids (whole numbers in the CSV), token ids are to be scaled or augmented, or
     *     the data cannot be read or do not fit the model
     */
    TrainingInputs prepare(Model model, Value output, TrainingTarget target, Path train, Path validation,
                           Double validationFraction) {
        Value featureInput = model.graph().inputs().get(0);
        boolean tokenIds = takesTokenIds(featureInput);
        if (tokenIds && (scaling.given() || !augmentations.perImage().isEmpty() || augmentations.mixup().isPresent())) {
            throw CliFailure.usage(modelFile + ": the first input '" + featureInput.name() + "' takes int64 token ids, "
                    + "which --scale, --standardize, --min-max and --augment would change");
        }
        TrainingData reader = new TrainingData(table, FeatureShape.ofInput(modelFile, featureInput, featureShape), target);
        Split data = read(reader, train, validation, validationFraction);
        Optional<FeatureScaling> fitted = scaling.fitted(data.train());
        Normalization normalization = scaling.normalization(fitted);
        BatchSource trainBatches = trainLoader(data.train(), normalization, tokenIds).feeding(featureInput.name());
        BatchSource validationBatches = data.validation() == null ? null
                : validationLoader(data.validation(), normalization, tokenIds).feeding(featureInput.name());
        ExportAdditions export = new ExportAdditions(featureInput.name(), fitted, output.name(),
                data.train().classNames());
        return new TrainingInputs(model, TrainingInputs.againstLabels(target.loss(), output.name()), target.loss(),
                List.of(), trainBatches, validationBatches,
                data.train().size(), export, () -> { });
    }

    private Split read(TrainingData reader, Path train, Path validation, Double validationFraction) {
        Dataset trainData = reader.readTraining(train);
        if (validation != null) {
            return new Split(trainData, reader.readValidation(validation, trainData));
        }
        return validationFraction == null ? new Split(trainData, null)
                : TrainingData.split(trainData, validationFraction, seed);
    }

    /** Whether {@code input} takes int64 token ids, which the CSV holds as whole numbers. */
    private static boolean takesTokenIds(Value input) {
        return input.type() instanceof ValueType.TensorType tensor && tensor.elementType() == ElementType.INT64;
    }

    /** {@code data}'s batches: int64 ids with {@code tokenIds} (which no scaling may change), else scaled features. */
    private static BatchLoader.Builder loader(Dataset data, int batch, Normalization normalization, boolean tokenIds) {
        BatchLoader.Builder builder = BatchLoader.builder(data, batch);
        return tokenIds ? builder.tokenIds() : builder.normalization(normalization);
    }

    private BatchLoader trainLoader(Dataset data, Normalization normalization, boolean tokenIds) {
        BatchLoader.Builder builder = loader(data, batch, normalization, tokenIds).shuffle(seed);
        if (!augmentations.perImage().isEmpty()) {
            try {
                builder.augmentations(seed + 1, augmentations.perImage().toArray(Augmentation[]::new));
            } catch (RuntimeException e) {
                throw CliFailure.usage("--augment: " + OneLine.of(e), e);
            }
        }
        augmentations.mixup().ifPresent(mixup -> builder.mixup(seed + 2, mixup));
        return builder.build();
    }

    /** Validation batches; after training on mixup's blended label rows, class labels come as one-hot rows too. */
    private BatchLoader validationLoader(Dataset data, Normalization normalization, boolean tokenIds) {
        BatchLoader.Builder builder = loader(data, batch, normalization, tokenIds);
        if (augmentations.mixup().isPresent()) {
            builder.oneHotLabels();
        }
        return builder.build();
    }
}
