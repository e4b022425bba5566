package dev.tern.train;

import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.train.data.Augmentation;
import dev.tern.train.data.AugmentationPlan;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.CsvLayout;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.DatasetException;
import dev.tern.train.data.ExampleFiles;
import dev.tern.train.data.ExampleShape;
import dev.tern.train.data.FeatureScaling;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.ScalingMethod;
import dev.tern.train.data.Split;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Prepares {@link FineTuneData} from numeric features: a CSV table or an image folder fed to
 * the model's first input, scaled as {@link #scaling} says (a per-feature scaling fitted to
 * the training part only, and carried by the exported models), labelled as the loss and the
 * output's width want ({@link TrainingTarget}), or for an autoencoder or VAE
 * ({@link #task}) learnt from the features alone. Defaults: the model's first output, a task
 * with labels (classification or regression by the output's width; {@link FineTuneTask#storedIn}
 * reads the task a template stored in the model), cross-entropy, {@link CsvLayout#DEFAULT},
 * the input's own example shape, no scaling, no augmentation, no validation data, batches of
 * 32, seed 42.
 */
public final class FeatureDataBuilder {
    private final Model model;
    private final Path train;
    private String output;
    private FineTuneTask task;
    private Loss loss = Loss.crossEntropy();
    private CsvLayout layout = CsvLayout.DEFAULT;
    private long[] featureShape;
    private ScalingMethod scaling = ScalingMethod.none();
    private AugmentationPlan augmentations = AugmentationPlan.NONE;
    private Path validation;
    private Double validationFraction;
    private int batch = 32;
    private long seed = 42;

    FeatureDataBuilder(Model model, Path train) {
        this.model = Objects.requireNonNull(model, "model");
        this.train = Objects.requireNonNull(train, "train");
    }

    /** The model output the loss reads (an autoencoder's reconstruction, a VAE's pixel logits). */
    public FeatureDataBuilder output(String name) {
        this.output = Objects.requireNonNull(name, "output");
        return this;
    }

    /**
     * What the model learns: {@link FineTuneTask#CLASSIFY} and {@link FineTuneTask#REGRESS}
     * from labels, {@link FineTuneTask#RECONSTRUCT} and {@link FineTuneTask#VAE} from the
     * features alone (their labels read as numbers and left unused); a GAN trains through
     * {@link GanFineTune}.
     *
     * @throws IllegalArgumentException for {@link FineTuneTask#GAN}
     */
    public FeatureDataBuilder task(FineTuneTask newTask) {
        if (newTask == FineTuneTask.GAN) {
            throw new IllegalArgumentException("a GAN trains on its examples through GanFineTune, not FineTune");
        }
        this.task = Objects.requireNonNull(newTask, "task");
        return this;
    }

    /** The loss between the output and the labels, for a task with labels. */
    public FeatureDataBuilder loss(Loss function) {
        this.loss = Objects.requireNonNull(function, "loss");
        return this;
    }

    /** How a CSV file is laid out; an image folder ignores it. */
    public FeatureDataBuilder layout(CsvLayout newLayout) {
        this.layout = Objects.requireNonNull(newLayout, "layout");
        return this;
    }

    /** The shape of one example, as {1, 8, 8}, when the model's first input does not say. */
    public FeatureDataBuilder featureShape(long... dims) {
        this.featureShape = dims.clone();
        return this;
    }

    public FeatureDataBuilder scaling(ScalingMethod method) {
        this.scaling = Objects.requireNonNull(method, "scaling");
        return this;
    }

    /** Augmentations of the training examples (validation examples stay as they are). */
    public FeatureDataBuilder augmentations(AugmentationPlan plan) {
        this.augmentations = Objects.requireNonNull(plan, "augmentations");
        return this;
    }

    /** Validation data from their own file; replaces a {@link #split}. */
    public FeatureDataBuilder validation(Path file) {
        this.validation = Objects.requireNonNull(file, "validation");
        this.validationFraction = null;
        return this;
    }

    /**
     * Holds out this fraction of the training data for validation (stratified by class for
     * class labels); replaces a {@link #validation} file.
     */
    public FeatureDataBuilder split(double fraction) {
        this.validationFraction = fraction;
        this.validation = null;
        return this;
    }

    /** @throws IllegalArgumentException if below 1 */
    public FeatureDataBuilder batch(int size) {
        this.batch = BuilderChecks.atLeastOne(size, "batch size");
        return this;
    }

    /** The seed of the split, the shuffling and any random augmentation. */
    public FeatureDataBuilder seed(long newSeed) {
        this.seed = newSeed;
        return this;
    }

    /**
     * Reads the data and prepares the batches.
     *
     * @throws DatasetException naming the file (and line and column) if the data cannot be read,
     *     do not fit the model, or the split leaves a part empty
     * @throws TrainingException naming the model graph if the output is not found, the first
     *     input takes neither float features nor int64 token ids (or token ids that a scaling or
     *     augmentation would change), or the loss does not fit the output
     */
    public FineTuneData prepare() {
        Value featureInput = model.graph().inputs().get(0);
        Value prediction = prediction();
        boolean tokenIds = ExampleShape.takesTokenIds(featureInput);
        if (tokenIds && (scaling.scales() || !augmentations.isEmpty())) {
            throw new TrainingException("model graph '" + model.graph().name() + "': the first input '"
                    + featureInput.name() + "' takes int64 token ids, which a scaling or augmentation would change");
        }
        UnsupervisedObjective objective = objective(featureInput, prediction);
        TrainingTarget target = objective != null ? TrainingTarget.numeric(Loss.meanSquaredError())
                : TrainingTarget.of(loss, prediction, augmentations.mixup().isPresent());
        ExampleFiles files = ExampleFiles.of(layout, ExampleShape.ofInput(model, featureInput, featureShape),
                target.classCount());
        Split data = read(files);
        Optional<FeatureScaling> fitted = scaling.fit(data.train());
        Normalization normalization = scaling.normalization(fitted);
        BatchSource trainBatches = trainLoader(data.train(), normalization, tokenIds).feeding(featureInput.name());
        BatchSource validationBatches = data.validation() == null ? null
                : validationLoader(data.validation(), normalization, tokenIds).feeding(featureInput.name());
        ExportAdditions export = new ExportAdditions(featureInput.name(), fitted, prediction.name(),
                data.train().classNames());
        LossTerms terms = objective != null ? objective.loss() : Loss.term(target.loss(), prediction.name(), FineTune.LABELS);
        Loss reported = objective != null ? objective.reportedLoss() : target.loss();
        return new FineTuneData(model, terms, reported, List.of(), trainBatches, validationBatches, data.train().size(),
                export, objective, null);
    }

    /** The output the loss reads: the one named, or the model's first. */
    private Value prediction() {
        List<Value> outputs = model.graph().outputs();
        if (output == null) {
            return outputs.get(0);
        }
        return outputs.stream().filter(value -> value.name().equals(output)).findFirst()
                .orElseThrow(() -> new TrainingException("model graph '" + model.graph().name() + "' has no output '"
                        + output + "', expected one of " + outputs.stream().map(Value::name).toList()));
    }

    /** The objective of an autoencoder or VAE, or null for a task with labels. */
    private UnsupervisedObjective objective(Value featureInput, Value prediction) {
        return task != null && task.unsupervised()
                ? UnsupervisedObjective.of(task, prediction.name(), featureInput.name()) : null;
    }

    private Split read(ExampleFiles files) {
        Dataset trainData = files.readTraining(train);
        if (validation != null) {
            return new Split(trainData, files.readValidation(validation, trainData));
        }
        return validationFraction == null ? new Split(trainData, null)
                : ExampleFiles.split(trainData, validationFraction, seed);
    }

    /** {@code data}'s batches: int64 ids with {@code tokenIds} (which no scaling may change), else scaled features. */
    private BatchLoader.Builder loader(Dataset data, Normalization normalization, boolean tokenIds) {
        BatchLoader.Builder builder = BatchLoader.builder(data, batch);
        return tokenIds ? builder.tokenIds() : builder.normalization(normalization);
    }

    private BatchLoader trainLoader(Dataset data, Normalization normalization, boolean tokenIds) {
        BatchLoader.Builder builder = loader(data, normalization, tokenIds).shuffle(seed);
        if (!augmentations.perImage().isEmpty()) {
            builder.augmentations(seed + 1, augmentations.perImage().toArray(Augmentation[]::new));
        }
        augmentations.mixup().ifPresent(mixup -> builder.mixup(seed + 2, mixup));
        return builder.build();
    }

    /** Validation batches; after training on mixup's blended label rows, class labels come as one-hot rows too. */
    private BatchLoader validationLoader(Dataset data, Normalization normalization, boolean tokenIds) {
        BatchLoader.Builder builder = loader(data, normalization, tokenIds);
        if (augmentations.mixup().isPresent()) {
            builder.oneHotLabels();
        }
        return builder.build();
    }
}
