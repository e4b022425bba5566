package dev.tern.compress.prune;

import dev.tern.compress.DigitsData;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.FineTune;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.Split;
import dev.tern.train.models.ModelTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The digits data set of the checkout (grey levels scaled to [0, 1], 20% stratified
 * validation split, seed 1) and what the pruning tests do with it: train, and score a model on
 * the validation part.
 */
final class Digits {
    private static final float SCALE = 16f;
    private static final int BATCH = 32;

    private final Split split;
    private final long[] exampleShape;

    private Digits(Split split, long[] exampleShape) {
        this.split = split;
        this.exampleShape = exampleShape;
    }

    /** The data with each example shaped {@code exampleShape} ({64} for an MLP, {1, 8, 8} for a CNN). */
    static Digits read(long... exampleShape) {
        try {
            Split split = CsvDatasetReader.of(DigitsData.file(), "label").featureShape(exampleShape).read()
                    .splitStratified(0.2, 1);
            return new Digits(split, exampleShape);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    BatchSource train(long seed) {
        return BatchLoader.builder(split.train(), BATCH).shuffle(seed)
                .normalization(Normalization.divideBy(SCALE)).build().feeding(ModelTemplates.INPUT);
    }

    BatchSource validation() {
        return BatchLoader.builder(split.validation(), BATCH)
                .normalization(Normalization.divideBy(SCALE)).build().feeding(ModelTemplates.INPUT);
    }

    /** The settings every pruning test trains with: cross-entropy on the logits, Adam, one ONNX Runtime thread. */
    Consumer<FineTune.Builder> recipe() {
        return builder -> builder.loss(Loss.crossEntropy(), ModelTemplates.LOGITS)
                .optimizer(Optimizer.adam())
                .validation(validation())
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build());
    }

    /** {@code model} trained from its weights for {@code epochs} with a cosine decay from {@code rate}. */
    Model trained(Runtime runtime, Model model, int epochs, double rate) {
        FineTune.Builder builder = FineTune.builder(model, train(1));
        recipe().accept(builder);
        return builder.schedule(steps -> LearningRateSchedule.cosine(rate, steps, 0)).epochs(epochs).build()
                .run(runtime).model();
    }

    /** The validation features as one batch for the model's input. */
    Tensor validationFeatures() {
        Dataset data = split.validation();
        int width = data.featureSize();
        float[] values = new float[data.size() * width];
        for (int row = 0; row < data.size(); row++) {
            data.copyFeatures(row, values, row * width);
        }
        for (int i = 0; i < values.length; i++) {
            values[i] /= SCALE;
        }
        long[] dims = new long[exampleShape.length + 1];
        dims[0] = data.size();
        System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
        return Tensor.ofFloats(ModelTemplates.INPUT, dims, values);
    }

    /** The logits of {@code model} for every validation example. */
    float[] logits(Runtime runtime, Model model) {
        try (CompiledModel compiled = runtime.compile(model)) {
            return compiled.run(Map.of(ModelTemplates.INPUT, validationFeatures())).get(ModelTemplates.LOGITS)
                    .toFloatArray();
        }
    }

    /** The fraction of validation examples {@code model} classifies right. */
    double accuracy(Runtime runtime, Model model) {
        float[] logits = logits(runtime, model);
        Dataset data = split.validation();
        return DigitsData.accuracy(DigitsData.predictedClasses(logits, logits.length / data.size()), data);
    }
}
