package dev.tern.train;

import static dev.tern.train.HiddenThenHead.HEAD;
import static dev.tern.train.HiddenThenHead.HIDDEN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import dev.tern.train.data.Split;
import dev.tern.train.models.ModelTemplates;
import dev.tern.train.report.EpochStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trainer's validation of a {@link GroupTrainingSession}: the group-trainer tests' 64-32-10
 * MLP ({@link HiddenThenHead}) on a 20% stratified split of the digits (seed 5), trained in
 * batches of 64 shuffled with seed 11 and validated in batches of 100 (the last one 60 rows, so
 * the means must weigh batches by their size). The hidden layer's loss is half the
 * cross-entropy and the head's the whole of it, so a group's loss and its term differ, and so do
 * the two groups' losses. One ONNX Runtime thread: runs are reproducible bit for bit.
 */
class GroupValidationTest extends LeakCheckedRuntime {
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();
    private static final LossTerms CROSS_ENTROPY = Loss.crossEntropy(ModelTemplates.LOGITS, HiddenThenHead.TARGET);
    /** The cross-entropy term, named after the output it reads. */
    private static final String TERM = ModelTemplates.LOGITS;

    private static Split digits;

    @BeforeAll
    static void readDigits() throws IOException {
        Dataset all = CsvDatasetReader.of(DataSets.file("digits.csv"), "label").read();
        digits = all.splitStratified(0.2, 5);
    }

    private static GroupTrainingSession session(LearningRateSchedule headSchedule) {
        Model mlp = ModelTemplates.mlp(64, new int[] {32}, 10, 3);
        return GroupTrainingSession.builder(mlp)
                .group(new ParameterGroup(HIDDEN, CROSS_ENTROPY.times(0.5), List.of("fc1.weight", "fc1.bias"),
                        Optimizer.adam(), LearningRateSchedule.constant(1e-2)))
                .group(new ParameterGroup(HEAD, CROSS_ENTROPY, List.of("fc2.weight", "fc2.bias"), Optimizer.sgd(),
                        headSchedule))
                .sessionConfig(ONE_THREAD)
                .build(runtime);
    }

    private static GroupTrainingSession session() {
        return session(LearningRateSchedule.constant(0.1));
    }

    private static BatchSource validationBatches() {
        return BatchLoader.builder(digits.validation(), 100).normalization(Normalization.divideBy(16)).build()
                .feeding(ModelTemplates.INPUT);
    }

    private static Trainer.Builder trainer(GroupTrainingSession session) {
        BatchSource train = BatchLoader.builder(digits.train(), 64).shuffle(11)
                .normalization(Normalization.divideBy(16)).build().feeding(ModelTemplates.INPUT);
        return Trainer.builder(session, train, new HiddenThenHead()).validation(validationBatches());
    }

    private static String validationLoss(String groupOrTerm) {
        return EpochStats.VALIDATION_TERM_PREFIX + groupOrTerm;
    }

    @Test
    void reportsEachGroupsLossAndTermsAsTheirEvaluationsAveragedByHand() {
        List<Map<String, Double>> byHand = new ArrayList<>();
        try (GroupTrainingSession session = session()) {
            TrainingOutcome outcome = trainer(session).epochs(2).listener(new TrainingListener() {
                @Override
                public void onEpoch(EpochStats stats) {
                    byHand.add(evaluateByHand(session));
                }
            }).build().fit();

            for (EpochStats epoch : outcome.history().epochs()) {
                Map<String, Double> expected = byHand.get(epoch.epoch() - 1);
                for (Map.Entry<String, Double> metric : expected.entrySet()) {
                    assertEquals(metric.getValue(), epoch.metric(metric.getKey()), 1e-9, metric.getKey());
                }
                double hidden = epoch.metric(validationLoss(HIDDEN));
                double head = epoch.metric(validationLoss(HEAD));
                assertEquals(hidden + head, epoch.validationLoss(), 1e-12);
                assertEquals(epoch.validationLoss(), epoch.metric("validation.loss"));
                assertEquals(0.5 * head, hidden, 1e-6, "the hidden layer's loss is half the cross-entropy");
                assertTrue(Double.isNaN(epoch.validationAccuracy()), "a group's terms are measured by loss only");
            }
            EpochStats first = outcome.history().epochs().get(0);
            EpochStats second = outcome.history().epochs().get(1);
            // Chance is ln 10 = 2.3 nats.
            assertTrue(second.metric(validationLoss(HEAD)) < first.metric(validationLoss(HEAD))
                    && second.metric(validationLoss(HEAD)) < 1.0, outcome.history().epochs().toString());
        }
    }

    /** Each group's loss and term on the validation batches, from the session's evaluation, weighted by batch size. */
    private static Map<String, Double> evaluateByHand(GroupTrainingSession session) {
        Map<String, Double> sums = new LinkedHashMap<>();
        long examples = 0;
        for (Feed batch : validationBatches().epoch(0)) {
            for (String group : List.of(HIDDEN, HEAD)) {
                Evaluation evaluation = session.evaluate(HiddenThenHead.feed(batch), group);
                sums.merge(validationLoss(group), evaluation.loss() * batch.size(), Double::sum);
                sums.merge(validationLoss(group + "." + TERM), evaluation.terms().get(TERM) * batch.size(),
                        Double::sum);
            }
            examples += batch.size();
        }
        assertEquals(digits.validation().size(), examples);
        long count = examples;
        sums.replaceAll((name, sum) -> sum / count);
        return sums;
    }

    @Test
    void validatesOnlyTheNamedGroups() {
        try (GroupTrainingSession session = session()) {
            EpochStats epoch = trainer(session).validationGroups(HEAD).build().fit().history().epochs().get(0);

            assertEquals(epoch.metric(validationLoss(HEAD)), epoch.validationLoss());
            assertTrue(epoch.metrics().containsKey(validationLoss(HEAD + "." + TERM)), epoch.metrics().toString());
            assertFalse(epoch.metrics().containsKey(validationLoss(HIDDEN)), epoch.metrics().toString());
        }
    }

    /*
     * The losses fall every epoch of these short runs, so a monitor of the highest head loss has
     * its best epoch first: the trainer must then bring back the first epoch's weights.
     */

    @Test
    void keepingTheBestEpochRestoresEveryGroupsWeightsOfThatEpoch() {
        try (GroupTrainingSession session = session()) {
            List<Map<String, Tensor>> weightsByEpoch = new ArrayList<>();
            TrainingOutcome outcome = trainer(session).epochs(3).monitor(Monitor.highest(validationLoss(HEAD)))
                    .keep(KeptWeights.BEST_EPOCH).listener(recordingWeights(session, weightsByEpoch)).build().fit();

            List<Double> headLosses = outcome.history().epochs().stream()
                    .map(epoch -> epoch.metric(validationLoss(HEAD))).toList();
            assertTrue(headLosses.get(0) > headLosses.get(1) && headLosses.get(1) > headLosses.get(2),
                    headLosses.toString());
            assertEquals(1, outcome.bestEpoch());
            assertEquals(1, outcome.keptEpoch());
            assertHoldsWeightsOf(session, weightsByEpoch, 1);
        }
    }

    @Test
    void earlyStoppingOnAGroupsValidationLossStopsAndKeepsItsBestEpoch() {
        try (GroupTrainingSession session = session()) {
            List<Map<String, Tensor>> weightsByEpoch = new ArrayList<>();
            TrainingOutcome outcome = trainer(session).epochs(6).monitor(Monitor.highest(validationLoss(HEAD)))
                    .earlyStopping(2).listener(recordingWeights(session, weightsByEpoch)).build().fit();

            assertTrue(outcome.stoppedEarly());
            assertEquals(3, outcome.history().epochs().size(), "epochs 2 and 3 did not beat epoch 1");
            assertEquals(1, outcome.keptEpoch());
            assertHoldsWeightsOf(session, weightsByEpoch, 1);
        }
    }

    private static TrainingListener recordingWeights(GroupTrainingSession session, List<Map<String, Tensor>> byEpoch) {
        return new TrainingListener() {
            @Override
            public void onEpoch(EpochStats stats) {
                byEpoch.add(session.weights());
            }
        };
    }

    /** The session holds every group's weights as recorded after {@code epoch}, which differ from the last epoch's. */
    private static void assertHoldsWeightsOf(GroupTrainingSession session, List<Map<String, Tensor>> byEpoch,
                                             int epoch) {
        Map<String, Tensor> held = session.weights();
        Map<String, Tensor> recorded = byEpoch.get(epoch - 1);
        Map<String, Tensor> last = byEpoch.get(byEpoch.size() - 1);
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(held.keySet()));
        for (String weight : held.keySet()) {
            assertArrayEquals(recorded.get(weight).toFloatArray(), held.get(weight).toFloatArray(),
                    weight + " is not epoch " + epoch + "'s");
            assertFalse(Arrays.equals(last.get(weight).toFloatArray(), held.get(weight).toFloatArray()),
                    weight + " did not change after epoch " + epoch);
        }
    }

    @Test
    void reduceOnPlateauFollowsAGroupsValidationLoss() {
        // Every epoch after the first fails to raise the head's loss: with patience 0, each halves the rate.
        ReduceOnPlateau plateau = ReduceOnPlateau.builder(0.1).monitor(Monitor.highest(validationLoss(HEAD)))
                .factor(0.5).patience(0).build();
        try (GroupTrainingSession session = session(plateau)) {
            TrainingOutcome outcome = trainer(session).epochs(3).adaptiveSchedule(plateau).build().fit();

            List<Double> headLosses = outcome.history().epochs().stream()
                    .map(epoch -> epoch.metric(validationLoss(HEAD))).toList();
            assertTrue(headLosses.get(0) > headLosses.get(1) && headLosses.get(1) > headLosses.get(2),
                    headLosses.toString());
            assertEquals(0.025, plateau.rate(0), 1e-15);
        }
    }

    @Test
    void aMonitorOfAGroupOrTermTheValidationLacksFailsAtBuildNamingThoseItHas() {
        try (GroupTrainingSession session = session()) {
            for (String missing : List.of("critic", HEAD + ".mse")) {
                IllegalStateException refused = assertThrows(IllegalStateException.class, () ->
                        trainer(session).monitor(Monitor.validationLoss(missing)).build());
                assertTrue(refused.getMessage().contains("'validation.loss." + missing + "'")
                        && refused.getMessage().contains("validation.loss.head.logits"), refused.getMessage());
            }
            ReduceOnPlateau plateau = ReduceOnPlateau.builder(0.1).monitor(Monitor.validationLoss("critic")).build();
            IllegalStateException refused = assertThrows(IllegalStateException.class, () ->
                    trainer(session).adaptiveSchedule(plateau).build());
            assertTrue(refused.getMessage().startsWith("ReduceOnPlateau[metric 'validation.loss.critic'")
                    && refused.getMessage().contains("validation.loss.hidden"), refused.getMessage());
        }
    }

    @Test
    void validationGroupsMustBeTheSessionsAndNeedValidationData() {
        try (GroupTrainingSession session = session()) {
            IllegalStateException unknown = assertThrows(IllegalStateException.class, () ->
                    trainer(session).validationGroups("critic").build());
            assertTrue(unknown.getMessage().contains("'critic'") && unknown.getMessage().contains("[hidden, head]"),
                    unknown.getMessage());
            BatchSource train = validationBatches();
            IllegalStateException noData = assertThrows(IllegalStateException.class, () ->
                    Trainer.builder(session, train, new HiddenThenHead()).validationGroups(HEAD).build());
            assertTrue(noData.getMessage().contains("set validation(...)"), noData.getMessage());
        }
    }

    @Test
    void validationBatchesLackingAnInputAGroupReadsFailAtBuildNamingIt() {
        BatchSource pixels = BatchLoader.builder(digits.validation(), 100).build().feeding("pixels");
        try (GroupTrainingSession session = session()) {
            TrainingException missing = assertThrows(TrainingException.class, () ->
                    trainer(session).validation(pixels).build());
            assertTrue(missing.getMessage().contains("parameter group 'hidden' reads 'input'")
                    && missing.getMessage().contains("[pixels]"), missing.getMessage());
        }
    }
}
