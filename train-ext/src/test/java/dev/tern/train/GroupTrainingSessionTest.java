package dev.tern.train;

import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two parameter groups over a two-layer network x [batch, 3] -> Tanh(x wa + ba) -> wb -> y [batch, 2],
 * group "first" training wa and ba, group "second" training wb, both on the MSE to a target.
 */
class GroupTrainingSessionTest extends LeakCheckedRuntime {
    private static final int BATCH = 8;
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();
    private static final List<String> FIRST = List.of("wa", "ba");
    private static final List<String> SECOND = List.of("wb");
    private static final LossTerms LOSS = Loss.mse("y", "target");

    @TempDir
    Path folder;

    private static Model network() {
        Random random = new Random(5);
        GraphBuilder g = GraphBuilder.create("two_layers");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        Value wa = g.initializer(Mlps.uniform("wa", random, 3, 3, 4));
        Value ba = g.initializer(Mlps.uniform("ba", random, 3, 4));
        Value wb = g.initializer(Mlps.uniform("wb", random, 4, 4, 2));
        Value hidden = g.op("Tanh", g.op("Add", g.op("MatMul", x, wa), ba));
        g.output(g.op("MatMul", hidden, wb), "y");
        return g.toModel(17);
    }

    private static Map<String, Tensor> batch(int index) {
        Random random = new Random(100 + index);
        float[] x = new float[BATCH * 3];
        float[] target = new float[BATCH * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int row = 0; row < BATCH; row++) {
            target[row * 2] = x[row * 3] * x[row * 3 + 1];
            target[row * 2 + 1] = (float) Math.sin(x[row * 3 + 2]);
        }
        return Map.of("x", Tensor.ofFloats("x", new long[] {BATCH, 3}, x),
                "target", Tensor.ofFloats("target", new long[] {BATCH, 2}, target));
    }

    private static GroupTrainingSession session(Model model, LearningRateSchedule secondSchedule) {
        return GroupTrainingSession.builder(model)
                .group(new ParameterGroup("first", LOSS, FIRST, Optimizer.adam(), LearningRateSchedule.constant(0.05)))
                .group(new ParameterGroup("second", LOSS, SECOND, Optimizer.adam(), secondSchedule))
                .sessionConfig(ONE_THREAD)
                .build(runtime);
    }

    private static void assertSameWeights(Map<String, Tensor> expected, Map<String, Tensor> actual, List<String> names) {
        for (String name : names) {
            assertArrayEquals(expected.get(name).toFloatArray(), actual.get(name).toFloatArray(), name);
        }
    }

    private static void assertChanged(Map<String, Tensor> before, Map<String, Tensor> after, List<String> names) {
        for (String name : names) {
            assertFalse(java.util.Arrays.equals(before.get(name).toFloatArray(), after.get(name).toFloatArray()),
                    name + " did not change");
        }
    }

    @Test
    void eachStepMovesOnlyItsGroupsWeights() {
        Model model = network();
        try (GroupTrainingSession session = session(model, LearningRateSchedule.constant(0.05))) {
            assertEquals(List.of("first", "second"), session.groupNames());
            assertEquals(List.of("x", "target"), session.dataInputs("second"));
            Map<String, Tensor> initial = session.weights();
            assertEquals(List.of("wa", "ba", "wb"), List.copyOf(initial.keySet()));
            assertArrayEquals(model.graph().initializers().get("wb").initializer().toFloatArray(),
                    initial.get("wb").toFloatArray());

            session.step(batch(0), "first");
            Map<String, Tensor> afterFirst = session.weights();
            assertChanged(initial, afterFirst, FIRST);
            assertSameWeights(initial, afterFirst, SECOND);

            session.step(batch(1), "second");
            Map<String, Tensor> afterSecond = session.weights();
            assertChanged(afterFirst, afterSecond, SECOND);
            assertSameWeights(afterFirst, afterSecond, FIRST);
            assertEquals(1, session.stepCount("first"));
            assertEquals(1, session.stepCount("second"));
        }
    }

    /**
     * The second group steps with Adam at rate 0, so its weights stay put while its own Adam
     * moments and step count advance; the first group's steps must then match a plain session
     * training only its weights, as if the second group's steps had never run.
     */
    @Test
    void eachGroupKeepsItsOwnOptimizerStateAndStepCount() {
        Model model = network();
        try (GroupTrainingSession grouped = session(model, LearningRateSchedule.constant(0));
             TrainingSession alone = TrainingSession.builder(model).loss(LOSS).trainable(FIRST)
                     .optimizer(Optimizer.adam()).schedule(LearningRateSchedule.constant(0.05))
                     .sessionConfig(ONE_THREAD).build(runtime)) {
            for (int step = 0; step < 4; step++) {
                StepResult expected = alone.step(batch(step));
                StepResult found = grouped.step(batch(step), "first");
                grouped.step(batch(step + 10), "second");
                assertEquals(expected.loss(), found.loss(), 1e-6 * Math.abs(expected.loss()));
            }
            assertEquals(4, grouped.stepCount("second"));
            Map<String, Tensor> expectedWeights = alone.weights();
            Map<String, Tensor> found = grouped.weights();
            for (String name : FIRST) {
                assertArrayEquals(expectedWeights.get(name).toFloatArray(), found.get(name).toFloatArray(), 1e-6f, name);
            }
            assertArrayEquals(model.graph().initializers().get("wb").initializer().toFloatArray(),
                    found.get("wb").toFloatArray());
        }
    }

    @Test
    void aRestoredCheckpointTakesTheSameNextStepsPerGroup() {
        Model model = network();
        Path checkpoint = folder.resolve("groups.ckpt");
        try (GroupTrainingSession saving = session(model, LearningRateSchedule.constant(0.02));
             GroupTrainingSession restored = session(model, LearningRateSchedule.constant(0.02))) {
            saving.step(batch(0), "first");
            saving.step(batch(1), "second");
            saving.step(batch(2), "first");
            saving.saveCheckpoint(checkpoint);
            saving.step(batch(3), "second");
            saving.step(batch(4), "first");

            restored.restoreCheckpoint(checkpoint);
            assertEquals(2, restored.stepCount("first"));
            assertEquals(1, restored.stepCount("second"));
            restored.step(batch(3), "second");
            restored.step(batch(4), "first");
            assertSameWeights(saving.weights(), restored.weights(), List.of("wa", "ba", "wb"));
        }
    }

    @Test
    void misuseIsRefusedWithNames() {
        Model model = network();
        ParameterGroup first = new ParameterGroup("first", LOSS, FIRST, Optimizer.sgd(), LearningRateSchedule.constant(0.1));
        IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class, () ->
                GroupTrainingSession.builder(model).group(first)
                        .group(new ParameterGroup("second", LOSS, List.of("wb", "ba"), Optimizer.sgd(),
                                LearningRateSchedule.constant(0.1))));
        assertTrue(overlap.getMessage().contains("[ba]"), overlap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GroupTrainingSession.builder(model).group(first).group(first));
        try (GroupTrainingSession session = session(model, LearningRateSchedule.constant(0.1))) {
            TrainingException unknown = assertThrows(TrainingException.class, () -> session.step(batch(0), "third"));
            assertTrue(unknown.getMessage().contains("[first, second]"), unknown.getMessage());
            TrainingException feed = assertThrows(TrainingException.class, () -> session.step(
                    Map.of("x", batch(0).get("x")), "first"));
            assertTrue(feed.getMessage().contains("'first'"), feed.getMessage());
        }
    }

    @Test
    void setWeightsAcrossGroupsStepsAsIfTheModelHeldThem() {
        Model model = network();
        Map<String, Tensor> chosen = Map.of(
                "wa", Mlps.uniform("wa", new Random(41), 3, 3, 4),
                "ba", Mlps.uniform("ba", new Random(42), 3, 4),
                "wb", Mlps.uniform("wb", new Random(43), 4, 4, 2));
        Model holding = model.copy();
        chosen.forEach((name, value) -> holding.graph().initializers().get(name).setInitializer(value));
        try (GroupTrainingSession set = session(model, LearningRateSchedule.constant(0.05));
             GroupTrainingSession built = session(holding, LearningRateSchedule.constant(0.05))) {
            set.setWeights(chosen);
            assertSameWeights(chosen, set.weights(), List.of("wa", "ba", "wb"));
            for (int step = 0; step < 3; step++) {
                assertEquals(built.step(batch(step), "first").loss(), set.step(batch(step), "first").loss());
                assertEquals(built.step(batch(step), "second").loss(), set.step(batch(step), "second").loss());
            }
            assertSameWeights(built.weights(), set.weights(), List.of("wa", "ba", "wb"));

            set.setWeights(Map.of("wb", chosen.get("wb")));
            assertSameWeights(chosen, set.weights(), SECOND);
            assertSameWeights(built.weights(), set.weights(), FIRST);
            assertEquals(3, set.stepCount("first"));
            assertEquals(3, set.stepCount("second"), "setting weights keeps each group's step count");
        }
    }

    /**
     * The second group's loss has two terms, squared and absolute error (weight 0.5); its
     * evaluation must give each term, and their weighted sum, as computed here in double
     * precision from the session's weights, before and after a step.
     */
    @Test
    void evaluateGivesEachTermOfTheGroupsLossAsComputedByHand() {
        Model model = network();
        LossTerms twoTerms = Loss.mse("y", "target").named("squared")
                .plus(Loss.l1("y", "target").named("absolute").times(0.5));
        try (GroupTrainingSession session = GroupTrainingSession.builder(model)
                .group(new ParameterGroup("first", LOSS, FIRST, Optimizer.adam(), LearningRateSchedule.constant(0.05)))
                .group(new ParameterGroup("second", twoTerms, SECOND, Optimizer.adam(), LearningRateSchedule.constant(0.05)))
                .sessionConfig(ONE_THREAD)
                .build(runtime)) {
            Map<String, Tensor> held = batch(7);
            assertEvaluation(session.evaluate(held, "second"), session.weights(), held);
            session.step(batch(0), "first");
            session.step(batch(1), "second");
            Evaluation afterSteps = session.evaluate(held, "second");
            assertEvaluation(afterSteps, session.weights(), held);
            assertEquals(afterSteps.terms().get("squared"), session.evaluate(held, "first").loss(), 1e-6,
                    "the first group's loss is the second's squared term");
            assertEquals(1, session.stepCount("first"), "evaluating takes no step");
        }
    }

    private static void assertEvaluation(Evaluation evaluation, Map<String, Tensor> weights, Map<String, Tensor> batch) {
        double[] y = forward(weights, batch.get("x").toFloatArray());
        float[] target = batch.get("target").toFloatArray();
        double squared = 0;
        double absolute = 0;
        for (int i = 0; i < y.length; i++) {
            squared += (y[i] - target[i]) * (y[i] - target[i]);
            absolute += Math.abs(y[i] - target[i]);
        }
        squared /= y.length;
        absolute /= y.length;
        assertEquals(List.of("squared", "absolute"), List.copyOf(evaluation.terms().keySet()));
        assertEquals(squared, evaluation.terms().get("squared"), 1e-6 * squared);
        assertEquals(absolute, evaluation.terms().get("absolute"), 1e-6 * absolute);
        assertEquals(squared + 0.5 * absolute, evaluation.loss(), 1e-6 * evaluation.loss());
        float[] prediction = evaluation.prediction().toFloatArray();
        for (int i = 0; i < y.length; i++) {
            assertEquals(y[i], prediction[i], 1e-5, "y[" + i + "]");
        }
    }

    /** y = Tanh(x wa + ba) wb for a batch of rows x [BATCH, 3], in double precision. */
    private static double[] forward(Map<String, Tensor> weights, float[] x) {
        float[] wa = weights.get("wa").toFloatArray();
        float[] ba = weights.get("ba").toFloatArray();
        float[] wb = weights.get("wb").toFloatArray();
        double[] y = new double[BATCH * 2];
        for (int row = 0; row < BATCH; row++) {
            for (int unit = 0; unit < 4; unit++) {
                double sum = ba[unit];
                for (int in = 0; in < 3; in++) {
                    sum += x[row * 3 + in] * wa[in * 4 + unit];
                }
                double hidden = Math.tanh(sum);
                for (int out = 0; out < 2; out++) {
                    y[row * 2 + out] += hidden * wb[unit * 2 + out];
                }
            }
        }
        return y;
    }

    @Test
    void setWeightsRefusesUnknownNamesAndWrongShapesNamingTheWeightAndChangesNothing() {
        Model model = network();
        try (GroupTrainingSession session = session(model, LearningRateSchedule.constant(0.1))) {
            Map<String, Tensor> before = session.weights();
            Tensor replacement = Mlps.uniform("wb", new Random(3), 4, 4, 2);

            TrainingException unknown = assertThrows(TrainingException.class, () -> session.setWeights(
                    orderedMap("wb", replacement, "wc", replacement)));
            assertEquals("setWeights: model 'two_layers' has no trained weight 'wc'; its parameter groups train "
                    + "[wa, ba, wb]", unknown.getMessage());

            TrainingException shape = assertThrows(TrainingException.class, () -> session.setWeights(
                    orderedMap("wb", replacement, "wa", Mlps.uniform("wa", new Random(3), 3, 2, 2))));
            assertEquals("setWeights: tensor 'wa' is FLOAT[2, 2], parameter group 'first' expects FLOAT[3, 4]",
                    shape.getMessage());

            TrainingException type = assertThrows(TrainingException.class, () -> session.setWeights(
                    Map.of("ba", Tensor.ofDoubles("ba", new long[] {4}, 0, 0, 0, 0))));
            assertTrue(type.getMessage().contains("tensor 'ba' is DOUBLE[4], parameter group 'first' expects FLOAT[4]"),
                    type.getMessage());

            assertSameWeights(before, session.weights(), List.of("wa", "ba", "wb"));
        }
    }

    @Test
    void evaluateRefusesUnknownGroupsAndBatchesNamingThem() {
        try (GroupTrainingSession session = session(network(), LearningRateSchedule.constant(0.1))) {
            TrainingException unknown = assertThrows(TrainingException.class, () -> session.evaluate(batch(0), "third"));
            assertTrue(unknown.getMessage().contains("no parameter group 'third'; its groups are [first, second]"),
                    unknown.getMessage());
            TrainingException feed = assertThrows(TrainingException.class, () -> session.evaluate(
                    Map.of("x", batch(0).get("x")), "second"));
            assertEquals("parameter group 'second': a batch feeds [x, target], found [x]", feed.getMessage());
        }
    }

    /** A map that keeps the order given, so the first entry is checked first. */
    private static Map<String, Tensor> orderedMap(String firstName, Tensor first, String secondName, Tensor second) {
        Map<String, Tensor> map = new LinkedHashMap<>();
        map.put(firstName, first);
        map.put(secondName, second);
        return map;
    }
}
