package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.SessionConfig;
import dev.tern.train.data.Batch;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.FeatureScaling;
import dev.tern.train.data.LabelColumn;
import dev.tern.train.data.Split;
import dev.tern.train.models.ModelTemplates;
import dev.tern.train.report.EpochStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer on a regression: iris's sepal length (column 1) predicted from the other four
 * columns (the species index among them), standardized, 80/20 split with seed 2, a 4-16-1 MLP
 * under mean squared error, one ONNX Runtime thread.
 */
class TrainerRegressionTest extends RuntimeExtension {
    private static final List<String> WEIGHTS = List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");

    private static Split iris;
    private static FeatureScaling scaling;

    @TempDir
    Path temporary;

    @BeforeAll
    static void readIris() throws IOException {
        iris = CsvDatasetReader.of(DataSets.file("iris.csv"), LabelColumn.numbered(1)).targets().read().split(0.2, 2);
        scaling = FeatureScaling.standardize(iris.train());
    }

    private static TrainingSession session() {
        return TrainingSession.builder(ModelTemplates.regressionMlp(4, new int[] {16}, 1, 3), ModelTemplates.PREDICTION)
                .loss(Loss.meanSquaredError())
                .trainable(WEIGHTS)
                .optimizer(Optimizer.adam())
                .schedule(LearningRateSchedule.constant(3e-2))
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                .build(runtime);
    }

    /** All 30 validation examples in one batch. */
    private static BatchLoader validationBatches() {
        return BatchLoader.builder(iris.validation(), 64).normalization(scaling).build();
    }

    private static Trainer.Builder trainer(TrainingSession session) {
        BatchLoader train = BatchLoader.builder(iris.train(), 16).shuffle(4).normalization(scaling).build();
        return Trainer.builder(session, train.feeding(ModelTemplates.INPUT))
                .validation(validationBatches().feeding(ModelTemplates.INPUT));
    }

    @Test
    void validationMeasuresRootMeanSquaredAndMeanAbsoluteErrors() {
        try (TrainingSession session = session()) {
            List<EpochStats> epochs = trainer(session).epochs(5).build().fit().history().epochs();

            // The same errors, computed here from the last epoch's predictions.
            Batch batch = validationBatches().epoch(0).iterator().next();
            float[] predicted = session.evaluate(Map.of(ModelTemplates.INPUT, batch.features(), "target", batch.labels()))
                    .prediction().toFloatArray();
            float[] expected = batch.labels().toFloatArray();
            double squares = 0;
            double absolutes = 0;
            for (int i = 0; i < expected.length; i++) {
                double error = (double) predicted[i] - expected[i];
                squares += error * error;
                absolutes += Math.abs(error);
            }
            EpochStats last = epochs.get(4);
            assertEquals(Math.sqrt(squares / expected.length), last.validationRmse(), 1e-9);
            assertEquals(absolutes / expected.length, last.validationMae(), 1e-9);
            assertEquals(last.validationLoss(), last.validationRmse() * last.validationRmse(), 1e-5 * last.validationLoss());
            assertTrue(Double.isNaN(last.validationAccuracy()), "no accuracy for a regression");
            assertTrue(last.validationRmse() < epochs.get(0).validationRmse(), epochs::toString);
        }
    }

    @Test
    void regressionErrorsSurviveResumingFromACheckpoint() {
        Path folder = temporary.resolve("checkpoints");
        List<EpochStats> firstRun;
        try (TrainingSession session = session()) {
            firstRun = trainer(session).epochs(2).checkpoints(folder).build().fit().history().epochs();
        }
        try (TrainingSession session = session()) {
            List<EpochStats> resumed = trainer(session).epochs(3).checkpoints(folder).build().resume().history().epochs();

            assertEquals(firstRun, resumed.subList(0, 2));
            assertTrue(resumed.get(2).validationMae() >= 0, resumed::toString);
        }
    }
}
