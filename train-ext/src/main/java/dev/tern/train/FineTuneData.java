package dev.tern.train;

import dev.tern.ir.Model;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link FineTune} trains on, prepared from files as {@code tern finetune} prepares
 * them: the model to train (the one given, or an encoder with a new classification head),
 * the loss terms over its outputs, the weights trained whatever the scopes say (a new head),
 * the training and validation batches, and what every exported model gets beyond its weights
 * (the fitted feature scaling, the class names). {@link FineTune#builder(FineTuneData)} takes
 * all of it.
 *
 * <pre>{@code
 * try (FineTuneData data = FineTuneData.features(model, Path.of("digits.csv"))
 *         .scaling(ScalingMethod.standardize())
 *         .split(0.2)
 *         .prepare()) {
 *     FineTune.Result result = FineTune.builder(data)
 *             .optimizer(Optimizer.adamW(0.01))
 *             .schedule(steps -> LearningRateSchedule.constant(1e-3))
 *             .epochs(10)
 *             .build()
 *             .run(runtime);
 *     Model served = result.model(); // takes raw features, names its classes
 * }
 * }</pre>
 *
 * <p>Text data hold a tokenizer, which {@link #close} releases; close the data after training.
 */
public final class FineTuneData implements AutoCloseable {
    private final Model model;
    private final LossTerms loss;
    private final Loss reportedLoss;
    private final List<String> alwaysTrained;
    private final BatchSource train;
    private final BatchSource validation;
    private final int trainExamples;
    private final ExportAdditions export;
    private final UnsupervisedObjective objective;
    /** Null for numeric features. */
    private final TextTokenizer tokenizer;

    /**
     * @param validation null without validation data
     * @param objective null for a task that learns from labels
     * @param tokenizer the text batches' tokenizer, closed by {@link #close}; null for numeric features
     */
    FineTuneData(Model model, LossTerms loss, Loss reportedLoss, List<String> alwaysTrained, BatchSource train,
                 BatchSource validation, int trainExamples, ExportAdditions export, UnsupervisedObjective objective,
                 TextTokenizer tokenizer) {
        this.model = Objects.requireNonNull(model, "model");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.reportedLoss = Objects.requireNonNull(reportedLoss, "reportedLoss");
        this.alwaysTrained = List.copyOf(alwaysTrained);
        this.train = Objects.requireNonNull(train, "train");
        this.validation = validation;
        this.trainExamples = trainExamples;
        this.export = Objects.requireNonNull(export, "export");
        this.objective = objective;
        this.tokenizer = tokenizer;
    }

    /**
     * Numeric features for {@code model}'s first input from {@code train}: a CSV file (one
     * label column, every other column a feature) or a folder of images with one sub-folder
     * per class. Nothing is read before {@link FeatureDataBuilder#prepare}.
     */
    public static FeatureDataBuilder features(Model model, Path train) {
        return new FeatureDataBuilder(model, train);
    }

    /**
     * Labelled texts from the tab-separated file {@code train}, tokenized with the encoder's
     * {@code tokenizer.json}, for a new classification head on {@code encoder}. Nothing is
     * read before {@link TextDataBuilder#prepare}.
     */
    public static TextDataBuilder text(Model encoder, Path train, Path tokenizer) {
        return new TextDataBuilder(encoder, train, tokenizer);
    }

    /** The model to train: the one given, or an encoder with a classification head put on it. */
    public Model model() {
        return model;
    }

    /** The loss terms to train with. */
    public LossTerms loss() {
        return loss;
    }

    /** The first term's function, which says what a report compares (a VAE's reconstruction, not its KL term). */
    public Loss reportedLoss() {
        return reportedLoss;
    }

    /** Weights trained whatever the scopes say: a new classification head's; empty otherwise. */
    public List<String> alwaysTrained() {
        return alwaysTrained;
    }

    /** The training batches, shuffled (and augmented) per epoch. */
    public BatchSource train() {
        return train;
    }

    /** The validation batches, if there are validation data. */
    public Optional<BatchSource> validation() {
        return Optional.ofNullable(validation);
    }

    /** How many examples the training part holds. */
    public int trainExamples() {
        return trainExamples;
    }

    /** What every exported model gets beyond its weights: the feature scaling and the class names. */
    public ExportAdditions export() {
        return export;
    }

    /** How an autoencoder or VAE learns from its input alone, its parts included; empty for a task with labels. */
    public Optional<UnsupervisedObjective> objective() {
        return Optional.ofNullable(objective);
    }

    /** Releases what the batches need (a tokenizer); the batches are unusable afterwards. */
    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
