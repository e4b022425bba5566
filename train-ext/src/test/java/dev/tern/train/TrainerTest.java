package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.Split;
import dev.tern.train.models.ModelTemplates;
import dev.tern.train.report.EpochStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer on digits: 20% stratified validation split with seed 5, a 64-32-10 MLP, batches
 * of 64 shuffled with seed 11, one ONNX Runtime thread so runs are reproducible bit for bit.
 */
class TrainerTest extends LeakCheckedRuntime {
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();
    private static final List<String> WEIGHTS = List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");

    private static Split digits;

    @TempDir
    Path temporary;

    @BeforeAll
    static void readDigits() throws IOException {
        Dataset all = CsvDatasetReader.of(DataSets.file("digits.csv"), "label").read();
        digits = all.splitStratified(0.2, 5);
    }

    private static TrainingSession session(LearningRateSchedule schedule) {
        Model mlp = ModelTemplates.mlp(64, new int[] {32}, 10, 3);
        return TrainingSession.builder(mlp, ModelTemplates.LOGITS)
                .loss(Loss.crossEntropy())
                .trainable(WEIGHTS)
                .optimizer(Optimizer.adam())
                .schedule(schedule)
                .sessionConfig(ONE_THREAD)
                .build(runtime);
    }

    private static BatchLoader trainBatches() {
        return BatchLoader.builder(digits.train(), 64).shuffle(11).normalization(Normalization.divideBy(16)).build();
    }

    private static BatchLoader validationBatches() {
        return BatchLoader.builder(digits.validation(), 256).normalization(Normalization.divideBy(16)).build();
    }

    private static Trainer.Builder trainer(TrainingSession session) {
        return Trainer.builder(session, trainBatches().feeding(ModelTemplates.INPUT))
                .validation(validationBatches().feeding(ModelTemplates.INPUT));
    }

    @Test
    void trainingLearnsDigitsAndReportsEveryStepAndEpoch() {
        List<StepProgress> steps = new ArrayList<>();
        List<EpochStats> epochs = new ArrayList<>();
        try (TrainingSession session = session(LearningRateSchedule.constant(1e-2))) {
            TrainingOutcome outcome = trainer(session).epochs(4).listener(new TrainingListener() {
                @Override
                public void onStep(StepProgress progress) {
                    steps.add(progress);
                }

                @Override
                public void onEpoch(EpochStats stats) {
                    epochs.add(stats);
                }
            }).build().fit();

            int batches = trainBatches().batchCount();
            assertEquals(4 * batches, steps.size());
            assertEquals(4 * batches, session.stepCount());
            assertEquals(outcome.history().epochs(), epochs);
            EpochStats last = epochs.get(3);
            assertTrue(last.validationAccuracy() > 0.9, "accuracy " + last.validationAccuracy());
            assertTrue(last.trainLoss() < epochs.get(0).trainLoss(), "training loss did not fall: " + epochs);
            assertTrue(last.examplesPerSecond() > 0);
            StepProgress finalStep = steps.get(steps.size() - 1);
            assertEquals(4, finalStep.epoch());
            assertEquals(batches, finalStep.batch());
            assertEquals(0, finalStep.secondsRemaining());
            assertFalse(outcome.stoppedEarly());
        }
    }

    @Test
    void resumingFromACheckpointTakesTheSameStepsAsAnUninterruptedRun() {
        Map<String, Tensor> uninterrupted;
        List<EpochStats> uninterruptedHistory;
        try (TrainingSession session = session(LearningRateSchedule.cosine(1e-2, 60, 0))) {
            uninterruptedHistory = trainer(session).epochs(3).build().fit().history().epochs();
            uninterrupted = session.weights();
        }
        Path folder = temporary.resolve("checkpoints");
        try (TrainingSession session = session(LearningRateSchedule.cosine(1e-2, 60, 0))) {
            trainer(session).epochs(1).checkpoints(folder).build().fit();
        }
        try (TrainingSession session = session(LearningRateSchedule.cosine(1e-2, 60, 0))) {
            TrainingOutcome outcome = trainer(session).epochs(3).checkpoints(folder).build().resume();

            assertEquals(3, outcome.history().epochs().size());
            for (String weight : WEIGHTS) {
                assertTrue(uninterrupted.get(weight).contentEquals(session.weights().get(weight)), weight + " differs");
            }
            for (int epoch = 0; epoch < 3; epoch++) {
                assertEquals(uninterruptedHistory.get(epoch).metrics(), outcome.history().epochs().get(epoch).metrics(),
                        "epoch " + (epoch + 1) + "'s metrics, the first read back from the progress file");
            }
        }
    }

    @Test
    void earlyStoppingEndsWithTheBestEpochsWeights() {
        List<Map<String, Tensor>> weightsAfterEpoch = new ArrayList<>();
        try (TrainingSession session = session(wrecking())) {
            TrainingOutcome outcome = trainer(session).epochs(10).earlyStopping(2)
                    .listener(recordingWeights(session, weightsAfterEpoch)).build().fit();

            assertTrue(outcome.stoppedEarly());
            assertEquals(1, outcome.bestEpoch());
            assertEquals(1, outcome.keptEpoch());
            assertEquals(3, outcome.history().epochs().size());
            assertWeightsOf(weightsAfterEpoch.get(0), session);
        }
    }

    @Test
    void keepingTheBestEpochRestoresItsWeightsWithoutEarlyStopping() {
        List<Map<String, Tensor>> weightsAfterEpoch = new ArrayList<>();
        try (TrainingSession session = session(wrecking())) {
            TrainingOutcome outcome = trainer(session).epochs(3).keep(KeptWeights.BEST_EPOCH)
                    .listener(recordingWeights(session, weightsAfterEpoch)).build().fit();

            assertEquals(1, outcome.bestEpoch());
            assertEquals(1, outcome.keptEpoch());
            assertFalse(outcome.stoppedEarly());
            assertWeightsOf(weightsAfterEpoch.get(0), session);
        }
    }

    @Test
    void keepingTheLastEpochOverridesEarlyStoppingsBest() {
        List<Map<String, Tensor>> weightsAfterEpoch = new ArrayList<>();
        try (TrainingSession session = session(wrecking())) {
            TrainingOutcome outcome = trainer(session).epochs(10).earlyStopping(2).keep(KeptWeights.LAST_EPOCH)
                    .listener(recordingWeights(session, weightsAfterEpoch)).build().fit();

            assertTrue(outcome.stoppedEarly());
            assertEquals(1, outcome.bestEpoch());
            assertEquals(3, outcome.keptEpoch());
            assertWeightsOf(weightsAfterEpoch.get(2), session);
        }
    }

    @Test
    void theBestEpochIsTheOneWithTheBestValueOfTheMonitoredMetric() {
        try (TrainingSession session = session(wrecking())) {
            TrainingOutcome outcome = trainer(session).epochs(3)
                    .monitor(Monitor.highest("validation.logits.accuracy")).keep(KeptWeights.BEST_EPOCH).build().fit();

            List<Double> accuracies = outcome.history().epochs().stream()
                    .map(stats -> stats.metric("validation.logits.accuracy")).toList();
            int best = accuracies.indexOf(accuracies.stream().max(Double::compare).orElseThrow()) + 1;
            assertEquals(best, outcome.bestEpoch(), "accuracies " + accuracies);
            EpochStats first = outcome.history().epochs().get(0);
            assertEquals(first.validationAccuracy(), first.metric("validation.logits.accuracy"));
            assertEquals(first.validationLoss(), first.metric("validation.loss"));
            assertEquals(first.trainLoss(), first.metric("train.loss.logits"), 1e-12);
        }
    }

    @Test
    void monitoringAMetricNoEpochMeasuresFailsNamingTheMeasuredOnes() {
        try (TrainingSession session = session(LearningRateSchedule.constant(1e-3))) {
            Trainer trainer = trainer(session).monitor(Monitor.lowest("validation.logits.mse")).build();

            TrainingException error = assertThrows(TrainingException.class, trainer::fit);
            assertTrue(error.getMessage().contains("'validation.logits.mse'")
                    && error.getMessage().contains("validation.logits.accuracy"), error.getMessage());
        }
    }

    @Test
    void validationGroupsAreRefusedForASessionWithoutGroups() {
        try (TrainingSession session = session(LearningRateSchedule.constant(1e-3))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                    trainer(session).validationGroups("head").build());
            assertTrue(e.getMessage().contains("this trainer trains a TrainingSession"), e.getMessage());
        }
    }

    @Test
    void keepingTheBestEpochNeedsValidation() {
        try (TrainingSession session = session(LearningRateSchedule.constant(1e-3))) {
            Trainer.Builder builder = Trainer.builder(session, trainBatches().feeding(ModelTemplates.INPUT))
                    .keep(KeptWeights.BEST_EPOCH);

            IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
            assertTrue(e.getMessage().contains("needs validation data"), e.getMessage());
        }
    }

    /** A sane first epoch, then a rate so large that Adam wrecks the weights: the first epoch stays the best. */
    private static LearningRateSchedule wrecking() {
        int batches = trainBatches().batchCount();
        return step -> step < batches ? 1e-2 : 10;
    }

    private static TrainingListener recordingWeights(TrainingSession session, List<Map<String, Tensor>> weightsAfterEpoch) {
        return new TrainingListener() {
            @Override
            public void onEpoch(EpochStats stats) {
                weightsAfterEpoch.add(session.weights());
            }
        };
    }

    private static void assertWeightsOf(Map<String, Tensor> expected, TrainingSession session) {
        for (String weight : WEIGHTS) {
            assertTrue(expected.get(weight).contentEquals(session.weights().get(weight)), weight + " is not the kept epoch's");
        }
    }

    /** Halves the rate whenever the validation loss improves by less than half, so this short run does reduce it (after epoch 3). */
    private static ReduceOnPlateau plateau() {
        return ReduceOnPlateau.builder(1e-2).factor(0.5).patience(0).cooldown(1).threshold(0.5).build();
    }

    private static LearningRateSchedule recording(LearningRateSchedule schedule, List<Double> rates) {
        return step -> {
            double rate = schedule.rate(step);
            rates.add(rate);
            return rate;
        };
    }

    @Test
    void reduceOnPlateauResumedFromACheckpointGivesTheSameRatesAsAnUninterruptedRun() {
        int batches = trainBatches().batchCount();
        List<Double> uninterrupted = new ArrayList<>();
        Map<String, Tensor> uninterruptedWeights;
        ReduceOnPlateau whole = plateau();
        try (TrainingSession session = session(recording(whole, uninterrupted))) {
            trainer(session).epochs(6).adaptiveSchedule(whole).build().fit();
            uninterruptedWeights = session.weights();
        }
        Path folder = temporary.resolve("plateau");
        ReduceOnPlateau firstPart = plateau();
        try (TrainingSession session = session(firstPart)) {
            trainer(session).epochs(3).checkpoints(folder).adaptiveSchedule(firstPart).build().fit();
        }
        List<Double> resumed = new ArrayList<>();
        ReduceOnPlateau secondPart = plateau();
        try (TrainingSession session = session(recording(secondPart, resumed))) {
            trainer(session).epochs(6).checkpoints(folder).adaptiveSchedule(secondPart).build().resume();
            assertWeightsOf(uninterruptedWeights, session);
        }

        List<Double> afterThreeEpochs = uninterrupted.subList(3 * batches, 6 * batches);
        assertEquals(afterThreeEpochs, resumed);
        // The resumed run's first rate is below the initial one only if the reduction before the checkpoint was carried over.
        assertTrue(resumed.get(0) < 1e-2, "no reduction in the first three epochs: " + uninterrupted);
    }

    @Test
    void resumingWithAnAdaptiveScheduleNeedsItsSavedState() {
        Path folder = temporary.resolve("without-schedule");
        try (TrainingSession session = session(LearningRateSchedule.constant(1e-2))) {
            trainer(session).epochs(1).checkpoints(folder).build().fit();
        }
        ReduceOnPlateau schedule = plateau();
        try (TrainingSession session = session(schedule)) {
            Trainer trainer = trainer(session).epochs(2).checkpoints(folder).adaptiveSchedule(schedule).build();

            TrainingException error = assertThrows(TrainingException.class, trainer::resume);
            assertTrue(error.getMessage().contains("holds no schedule state"), error.getMessage());
        }
    }

    @Test
    void aScheduleFollowingValidationNeedsValidationData() {
        ReduceOnPlateau schedule = plateau();
        try (TrainingSession session = session(schedule)) {
            Trainer.Builder builder = Trainer.builder(session, trainBatches().feeding(ModelTemplates.INPUT))
                    .adaptiveSchedule(schedule);

            IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
            assertTrue(e.getMessage().contains("needs validation data"), e.getMessage());
        }
    }

    @Test
    void resumingAnEmptyFolderFails() {
        try (TrainingSession session = session(LearningRateSchedule.constant(1e-3))) {
            Trainer trainer = trainer(session).checkpoints(temporary.resolve("empty")).build();

            TrainingException error = assertThrows(TrainingException.class, trainer::resume);
            assertTrue(error.getMessage().contains("no checkpoint to resume from"), error.getMessage());
        }
    }

    @Test
    void earlyStoppingWithoutValidationIsRefused() {
        try (TrainingSession session = session(LearningRateSchedule.constant(1e-3))) {
            Trainer.Builder builder = Trainer.builder(session, trainBatches().feeding(ModelTemplates.INPUT)).earlyStopping(2);

            assertThrows(IllegalStateException.class, builder::build);
        }
    }
}
