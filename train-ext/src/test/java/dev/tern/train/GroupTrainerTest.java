package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.Feed;
import dev.tern.train.data.Normalization;
import dev.tern.train.models.ModelTemplates;
import dev.tern.train.report.EpochStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer over a {@link GroupTrainingSession}: a 64-32-10 MLP on the digits whose hidden
 * layer and head are two parameter groups, each batch stepping the hidden layer and then the
 * head ({@link HiddenThenHead}), both on the cross-entropy; batches of 64 shuffled with seed
 * 11, one ONNX Runtime thread so runs are reproducible bit for bit. {@code GroupValidationTest}
 * validates such a training.
 */
class GroupTrainerTest extends LeakCheckedRuntime {
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();
    private static final String HIDDEN = HiddenThenHead.HIDDEN;
    private static final String HEAD = HiddenThenHead.HEAD;
    private static final LossTerms LOSS = Loss.crossEntropy(ModelTemplates.LOGITS, HiddenThenHead.TARGET);
    private static final GroupSteps HIDDEN_THEN_HEAD = new HiddenThenHead();

    private static Dataset digits;

    @TempDir
    Path temporary;

    @BeforeAll
    static void readDigits() throws IOException {
        digits = CsvDatasetReader.of(DataSets.file("digits.csv"), "label").read();
    }

    private static GroupTrainingSession session() {
        Model mlp = ModelTemplates.mlp(64, new int[] {32}, 10, 3);
        return GroupTrainingSession.builder(mlp)
                .group(new ParameterGroup(HIDDEN, LOSS, List.of("fc1.weight", "fc1.bias"), Optimizer.adam(),
                        LearningRateSchedule.cosine(1e-2, 3 * batches().batchCount(), 0)))
                .group(new ParameterGroup(HEAD, LOSS, List.of("fc2.weight", "fc2.bias"), Optimizer.sgd(),
                        LearningRateSchedule.constant(0.1)))
                .sessionConfig(ONE_THREAD)
                .build(runtime);
    }

    private static BatchSource batches() {
        return BatchLoader.builder(digits, 64).shuffle(11).normalization(Normalization.divideBy(16)).build()
                .feeding(ModelTemplates.INPUT);
    }

    @Test
    void takesTheGroupStepsOfEveryBatchInLoaderOrderAndReportsEachGroupsLoss() {
        Map<String, Tensor> byHand;
        double[] handHeadLoss = new double[2];
        try (GroupTrainingSession session = session()) {
            for (int epoch = 0; epoch < 2; epoch++) {
                long examples = 0;
                for (Feed batch : batches().epoch(epoch)) {
                    HIDDEN_THEN_HEAD.steps(session, batch);
                    handHeadLoss[epoch] += batch.size() * session.evaluate(HiddenThenHead.feed(batch), HEAD).loss();
                    examples += batch.size();
                }
                handHeadLoss[epoch] /= examples;
            }
            byHand = session.weights();
        }
        try (GroupTrainingSession session = session()) {
            TrainingOutcome outcome = Trainer.builder(session, batches(), HIDDEN_THEN_HEAD).epochs(2).build().fit();

            for (Map.Entry<String, Tensor> weight : byHand.entrySet()) {
                assertArrayEquals(weight.getValue().toFloatArray(), session.weights().get(weight.getKey()).toFloatArray(),
                        weight.getKey() + " differs from the hand-run loop's");
            }
            int batches = batches().batchCount();
            assertEquals(2L * batches, session.stepCount(HIDDEN));
            assertEquals(2L * batches, session.stepCount(HEAD));
            assertEquals(List.of(HEAD, HIDDEN), outcome.history().lossTerms(), "sorted by name");
            for (EpochStats epoch : outcome.history().epochs()) {
                double hidden = epoch.metric(EpochStats.TRAIN_TERM_PREFIX + HIDDEN);
                double head = epoch.metric(EpochStats.TRAIN_TERM_PREFIX + HEAD);
                assertEquals(hidden + head, epoch.trainLoss(), 1e-12);
                assertTrue(Double.isNaN(epoch.validationLoss()), "a group trainer measures no validation");
            }
            EpochStats first = outcome.history().epochs().get(0);
            EpochStats second = outcome.history().epochs().get(1);
            assertTrue(second.trainLoss() < first.trainLoss(), "the training loss fell: " + outcome.history().epochs());
            // Chance is ln 10 = 2.3 nats; a loop that stepped the wrong group or batch would stay near it.
            assertTrue(handHeadLoss[1] < handHeadLoss[0] && handHeadLoss[1] < 1.0,
                    "the head's loss on the batches just trained, by epoch: " + Arrays.toString(handHeadLoss));
        }
    }

    @Test
    void resumingAGroupTrainingTakesTheSameStepsAsAnUninterruptedRun() {
        Map<String, Tensor> uninterrupted;
        try (GroupTrainingSession session = session()) {
            Trainer.builder(session, batches(), HIDDEN_THEN_HEAD).epochs(3).build().fit();
            uninterrupted = session.weights();
        }
        Path folder = temporary.resolve("checkpoints");
        try (GroupTrainingSession session = session()) {
            Trainer.builder(session, batches(), HIDDEN_THEN_HEAD).epochs(1).checkpoints(folder).build().fit();
        }
        try (GroupTrainingSession session = session()) {
            TrainingOutcome resumed = Trainer.builder(session, batches(), HIDDEN_THEN_HEAD).epochs(3).checkpoints(folder)
                    .build().resume();
            assertEquals(3, resumed.history().epochs().size());
            assertEquals(3L * batches().batchCount(), session.stepCount(HEAD));
            for (Map.Entry<String, Tensor> weight : uninterrupted.entrySet()) {
                assertArrayEquals(weight.getValue().toFloatArray(), session.weights().get(weight.getKey()).toFloatArray(),
                        weight.getKey() + " differs after resuming");
            }
        }
    }
}
