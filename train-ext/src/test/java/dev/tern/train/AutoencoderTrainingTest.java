package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.data.Batch;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.Split;
import dev.tern.train.models.internal.Layers;
import dev.tern.train.report.EpochStats;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 64-32-8-32-64 autoencoder on digits (pixels / 16): its loss compares an output with the
 * model's own input, so batches feed nothing but the images. 20% validation split with seed
 * 5, batches of 32 shuffled with seed 11, Adam, one ONNX Runtime thread.
 */
class AutoencoderTrainingTest extends RuntimeExtension {
    private static final String INPUT = "input";
    private static final String RECONSTRUCTION = "reconstruction";
    private static final String CODE = "code";
    private static final int PIXELS = 64;

    private static Split digits;

    @BeforeAll
    static void readDigits() throws IOException {
        Dataset all = CsvDatasetReader.of(DataSets.file("digits.csv"), "label").read();
        digits = all.splitStratified(0.2, 5);
    }

    /** Encoder 64-32 (ReLU)-8, decoder 8-32 (ReLU)-64 (sigmoid); outputs the reconstruction and the 8-dimensional code. */
    static Model autoencoder(long seed) {
        GraphBuilder g = GraphBuilder.create("autoencoder");
        Layers layers = new Layers(g, new Random(seed));
        Value x = g.input(INPUT, ElementType.FLOAT, Dim.of("batch"), Dim.of(PIXELS));
        Value hidden = g.op("Relu", layers.dense(x, PIXELS, 32, true));
        Value code = layers.dense(hidden, 32, 8, false);
        Value decoded = g.op("Relu", layers.dense(code, 8, 32, true));
        Value reconstruction = g.op("Sigmoid", layers.dense(decoded, 32, PIXELS, false));
        g.output(reconstruction, RECONSTRUCTION);
        g.output(code, CODE);
        return g.toModel(17);
    }

    private static BatchLoader trainBatches() {
        return BatchLoader.builder(digits.train(), 32).shuffle(11).normalization(Normalization.divideBy(16)).build();
    }

    private static BatchLoader validationBatches() {
        return BatchLoader.builder(digits.validation(), 512).normalization(Normalization.divideBy(16)).build();
    }

    @Test
    void autoencoderReconstructsValidationDigitsFarBetterThanTheMeanImage() {
        Model model = autoencoder(7);
        try (TrainingSession session = TrainingSession.builder(model)
                .loss(Loss.mse(RECONSTRUCTION, INPUT))
                .trainable(WeightSelection.all(model))
                .optimizer(Optimizer.adam())
                .schedule(LearningRateSchedule.cosine(1e-2, 25 * 45, 1e-4))
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                .build(runtime)) {
            assertEquals(List.of(), session.targetColumns(), "the target is the model's input");
            TrainingOutcome outcome = Trainer.builder(session, trainBatches().feeding(INPUT))
                    .validation(validationBatches().feeding(INPUT))
                    .epochs(25)
                    .monitor(Monitor.lowest("validation.reconstruction.mse"))
                    .keep(KeptWeights.BEST_EPOCH)
                    .build()
                    .fit();

            EpochStats best = outcome.history().epochs().get(outcome.bestEpoch() - 1);
            double meanImageError = meanImageError();
            assertEquals(0.074, meanImageError, 0.002, "predicting the mean training image");
            assertTrue(best.metric("validation.reconstruction.mse") <= 0.02, best.metrics().toString());
            assertEquals(best.metric("validation.reconstruction.mse"), validationError(session), 1e-6,
                    "the metric is the mean squared error over every validation pixel");
        }
    }

    /** The mean squared error of predicting every validation image by the mean training image. */
    private static double meanImageError() {
        double[] mean = new double[PIXELS];
        for (int i = 0; i < digits.train().size(); i++) {
            float[] image = digits.train().features(i);
            for (int p = 0; p < PIXELS; p++) {
                mean[p] += image[p] / 16.0 / digits.train().size();
            }
        }
        double squares = 0;
        for (int i = 0; i < digits.validation().size(); i++) {
            float[] image = digits.validation().features(i);
            for (int p = 0; p < PIXELS; p++) {
                double error = image[p] / 16.0 - mean[p];
                squares += error * error;
            }
        }
        return squares / (digits.validation().size() * (double) PIXELS);
    }

    /** The session's reconstruction error over the validation images, computed here. */
    private static double validationError(TrainingSession session) {
        double squares = 0;
        long count = 0;
        for (Batch batch : validationBatches().epoch(0)) {
            Tensor images = batch.features();
            float[] expected = images.toFloatArray();
            float[] reconstructed = session.evaluate(Map.of(INPUT, images)).outputs().get(RECONSTRUCTION).toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                double error = (double) reconstructed[i] - expected[i];
                squares += error * error;
            }
            count += expected.length;
        }
        return squares / count;
    }
}
