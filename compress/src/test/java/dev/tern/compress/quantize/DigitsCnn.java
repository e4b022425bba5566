package dev.tern.compress.quantize;

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
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.Feed;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.Split;
import dev.tern.train.models.ModelTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tern init-model cnn}'s network trained on {@code data/digits.csv} (8x8 images, pixels
 * divided by 16) with a 20% stratified validation split, and its validation accuracy.
 */
final class DigitsCnn {
    static final float SCALE = 16f;
    private static final int BATCH = 32;

    private DigitsCnn() {
    }

    /** The digits, as 1x8x8 images, split 80/20 with seed 1. */
    static Split split() {
        try {
            return CsvDatasetReader.of(DigitsData.file(), "label").featureShape(1, 8, 8).read().splitStratified(0.2, 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CNN template trained on {@code digits.train()} with Adam for {@code epochs} epochs. */
    static Model train(Split digits, int epochs) {
        Model cnn = ModelTemplates.cnn(1, 8, 8, 10, 1);
        BatchLoader train = BatchLoader.builder(digits.train(), BATCH).shuffle(1)
                .normalization(Normalization.divideBy(SCALE)).build();
        try (Runtime runtime = Runtime.create()) {
            return FineTune.builder(cnn, train.feeding(ModelTemplates.INPUT))
                    .loss(Loss.crossEntropy(), ModelTemplates.LOGITS)
                    .optimizer(Optimizer.adam())
                    .schedule(steps -> LearningRateSchedule.cosine(3e-3, steps, 0))
                    .epochs(epochs)
                    .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                    .build()
                    .run(runtime)
                    .model();
        }
    }

    /**
     * The first {@code count} batches of 32 of {@code data}, in file order, as model inputs. Each is
     * a copy, since a loader reuses its buffers from batch to batch.
     */
    static List<Map<String, Tensor>> batches(Dataset data, int count) {
        return batches(data, count, SCALE);
    }

    /** {@link #batches(Dataset, int)} with the pixels divided by {@code divisor} instead of 16. */
    static List<Map<String, Tensor>> batches(Dataset data, int count, float divisor) {
        BatchLoader loader = BatchLoader.builder(data, BATCH).normalization(Normalization.divideBy(divisor)).build();
        List<Map<String, Tensor>> batches = new ArrayList<>();
        for (Feed feed : loader.feeding(ModelTemplates.INPUT).epoch(0)) {
            if (batches.size() == count) {
                break;
            }
            Tensor features = feed.inputs().get(ModelTemplates.INPUT);
            batches.add(Map.of(ModelTemplates.INPUT, Tensor.ofFloats(ModelTemplates.INPUT, features.dims(),
                    features.toFloatArray())));
        }
        return batches;
    }

    /** The share of {@code data} whose largest logit is its label. */
    static double accuracy(Model model, Dataset data) {
        int width = data.featureSize();
        float[] values = new float[data.size() * width];
        for (int row = 0; row < data.size(); row++) {
            data.copyFeatures(row, values, row * width);
        }
        for (int i = 0; i < values.length; i++) {
            values[i] /= SCALE;
        }
        Tensor features = Tensor.ofFloats(ModelTemplates.INPUT, new long[] {data.size(), 1, 8, 8}, values);
        float[] logits;
        try (Runtime runtime = Runtime.create(); CompiledModel compiled = runtime.compile(model)) {
            logits = compiled.run(Map.of(ModelTemplates.INPUT, features)).get(ModelTemplates.LOGITS).toFloatArray();
        }
        return DigitsData.accuracy(DigitsData.predictedClasses(logits, logits.length / data.size()), data);
    }
}
