package dev.tern.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.exec.ClosedException;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session around the graphs: frozen weights, clipping, schedules, checkpoints, export, misuse. */
class TrainingSessionTest extends LeakCheckedRuntime {
    private static final int BATCH = 32;
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();

    private final Digits digits = Digits.load();
    private final List<Integer> rows = digits.split(0.2, 7).get(0);

    private Map<String, Tensor> batch(int index) {
        int from = index * BATCH % (rows.size() - BATCH);
        return digits.batch(rows, from, from + BATCH);
    }

    private static TrainingSession.Builder mlpBuilder(Model model, List<String> trainable) {
        return TrainingSession.builder(model, "logits")
                .loss(Loss.crossEntropy(0.05))
                .trainable(trainable)
                .optimizer(Optimizer.adamW(0.01))
                .schedule(LearningRateSchedule.warmup(3, LearningRateSchedule.cosine(5e-3, 20, 1e-4)))
                .sessionConfig(ONE_THREAD);
    }

    private static Model mlp() {
        return Mlps.mlp(3, Digits.FEATURES, 32, Digits.CLASSES);
    }

    @Test
    void frozenWeightsStayBitIdenticalAndOnlyTrainableOnesMove() {
        Model model = mlp();
        Map<String, Value> original = model.graph().initializers();
        try (TrainingSession session = mlpBuilder(model, List.of("w2", "b2")).build(runtime)) {
            for (int step = 0; step < 10; step++) {
                session.step(batch(step));
            }
            Model tuned = session.exportModel();
            for (String frozen : List.of("w1", "b1")) {
                assertTrue(tuned.graph().initializers().get(frozen).initializer()
                        .contentEquals(original.get(frozen).initializer()), frozen + " changed");
            }
            assertFalse(tuned.graph().initializers().get("w2").initializer()
                    .contentEquals(original.get("w2").initializer()), "w2 did not train");
            assertEquals(List.of("w2", "b2"), List.copyOf(session.weights().keySet()));
        }
        assertTrue(model.graph().initializers().get("w2").initializer().contentEquals(Mlps.mlp(3, Digits.FEATURES, 32,
                Digits.CLASSES).graph().initializers().get("w2").initializer()), "the caller's model is unchanged");
    }

    @Test
    void clippingBoundsTheUpdateAndReportsTheNormBeforeIt() {
        LinearProblem problem = new LinearProblem(5);
        double maxNorm = 0.01;
        try (TrainingSession session = TrainingSession.builder(problem.model(), "y")
                .loss(Loss.meanSquaredError()).trainable(List.of("w", "b")).optimizer(Optimizer.sgd())
                .schedule(LearningRateSchedule.constant(1.0)).clipGradientNorm(maxNorm)
                .sessionConfig(ONE_THREAD).build(runtime)) {
            double[][] gradients = problem.gradients(problem.initialWeights());
            double norm = 0;
            for (double[] gradient : gradients) {
                for (double g : gradient) {
                    norm += g * g;
                }
            }
            norm = Math.sqrt(norm);
            StepResult result = session.step(problem.batch());
            assertEquals(norm, result.gradientNorm().orElseThrow(), 1e-5);
            assertTrue(norm > 10 * maxNorm, "the test needs a gradient the clip shrinks, found " + norm);
            // With SGD at rate 1 the update is the clipped gradient, of norm maxNorm / (1 + 1e-6 / norm).
            double[] w = LinearProblem.toDoubles(session.weights().get("w").toFloatArray());
            double[] b = LinearProblem.toDoubles(session.weights().get("b").toFloatArray());
            double[][] start = problem.initialWeights();
            double moved = 0;
            for (int i = 0; i < w.length; i++) {
                moved += (w[i] - start[0][i]) * (w[i] - start[0][i]);
            }
            for (int i = 0; i < b.length; i++) {
                moved += (b[i] - start[1][i]) * (b[i] - start[1][i]);
            }
            assertEquals(maxNorm, Math.sqrt(moved), 1e-6);
        }
    }

    @Test
    void theScheduleFeedsEachStepsRate() {
        LinearProblem problem = new LinearProblem(6);
        LearningRateSchedule zeroFirst = step -> step == 0 ? 0 : 0.1;
        try (TrainingSession session = TrainingSession.builder(problem.model(), "y")
                .loss(Loss.meanSquaredError()).trainable(List.of("w", "b")).optimizer(Optimizer.sgd())
                .schedule(zeroFirst).sessionConfig(ONE_THREAD).build(runtime)) {
            Map<String, Tensor> before = session.weights();
            StepResult first = session.step(problem.batch());
            assertEquals(0, first.learningRate());
            assertEquals(0, first.step());
            assertTrue(session.weights().get("w").contentEquals(before.get("w")), "a zero rate must not move weights");
            StepResult second = session.step(problem.batch());
            assertEquals(0.1, second.learningRate());
            assertFalse(session.weights().get("w").contentEquals(before.get("w")), "a rate of 0.1 must move weights");
            assertTrue(second.gradientNorm().isEmpty(), "no norm without clipping");
        }
    }

    @Test
    void resumingFromACheckpointGivesBitIdenticalWeights(@TempDir Path dir) throws IOException {
        int total = 12;
        int saved = 5;
        Map<String, Tensor> uninterrupted;
        try (TrainingSession session = mlpBuilder(mlp(), Mlps.WEIGHTS).clipGradientNorm(1.0).build(runtime)) {
            for (int step = 0; step < total; step++) {
                session.step(batch(step));
            }
            uninterrupted = session.weights();
        }
        Path checkpoint = dir.resolve("mlp.ckpt");
        try (TrainingSession first = mlpBuilder(mlp(), Mlps.WEIGHTS).clipGradientNorm(1.0).build(runtime)) {
            for (int step = 0; step < saved; step++) {
                first.step(batch(step));
            }
            first.saveCheckpoint(checkpoint);
            // Later steps and a second save must leave the first save intact or replace it whole.
            first.step(batch(saved));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(checkpoint), files.toList(), "only the checkpoint remains, no temporary file");
        }
        try (TrainingSession resumed = mlpBuilder(mlp(), Mlps.WEIGHTS).clipGradientNorm(1.0).build(runtime)) {
            resumed.restoreCheckpoint(checkpoint);
            assertEquals(saved, resumed.stepCount());
            for (int step = saved; step < total; step++) {
                resumed.step(batch(step));
            }
            for (String name : Mlps.WEIGHTS) {
                assertTrue(uninterrupted.get(name).contentEquals(resumed.weights().get(name)),
                        name + " differs after resuming");
            }
            resumed.saveCheckpoint(checkpoint);
        }
    }

    @Test
    void aCheckpointOfAnotherOptimizerIsRefusedAndLeavesTheSessionAsItWas(@TempDir Path dir) {
        Path checkpoint = dir.resolve("sgd.ckpt");
        try (TrainingSession sgd = mlpBuilder(mlp(), Mlps.WEIGHTS).optimizer(Optimizer.sgd()).build(runtime)) {
            sgd.step(batch(0));
            sgd.saveCheckpoint(checkpoint);
        }
        try (TrainingSession adam = mlpBuilder(mlp(), Mlps.WEIGHTS).build(runtime)) {
            Map<String, Tensor> before = adam.weights();
            TrainingException refused = assertThrows(TrainingException.class, () -> adam.restoreCheckpoint(checkpoint));
            assertTrue(refused.getMessage().contains("w1.exp_avg"), refused.getMessage());
            assertEquals(0, adam.stepCount());
            assertTrue(before.get("w1").contentEquals(adam.weights().get("w1")));
        }
        TrainingException missing = assertThrows(TrainingException.class, () -> {
            try (TrainingSession session = mlpBuilder(mlp(), Mlps.WEIGHTS).build(runtime)) {
                session.restoreCheckpoint(dir.resolve("absent.ckpt"));
            }
        });
        assertTrue(missing.getMessage().contains("absent.ckpt"), missing.getMessage());
    }

    @Test
    void exportedModelKeepsTheInterfaceAndRunsInOnnxRuntimeDirectly(@TempDir Path dir)
            throws IOException, OrtException {
        Model model = mlp();
        Map<String, Tensor> batch = batch(0);
        Path file = dir.resolve("tuned.onnx");
        Tensor expected;
        try (TrainingSession session = mlpBuilder(model, Mlps.WEIGHTS).build(runtime)) {
            for (int step = 0; step < 5; step++) {
                session.step(batch(step));
            }
            expected = session.evaluate(batch).prediction();
            Model tuned = session.exportModel();
            assertEquals(names(model.graph().inputs()), names(tuned.graph().inputs()));
            assertEquals(names(model.graph().outputs()), names(tuned.graph().outputs()));
            assertEquals(model.graph().initializers().keySet(), tuned.graph().initializers().keySet());
            OnnxExporter.write(tuned, file);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Tensor x = batch.get("x");
        try (OrtSession ort = env.createSession(file.toString());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), x.dims());
             OrtSession.Result result = ort.run(Map.of("x", input))) {
            float[][] logits = (float[][]) result.get("logits").orElseThrow().getValue();
            float[] flat = new float[logits.length * logits[0].length];
            for (int row = 0; row < logits.length; row++) {
                System.arraycopy(logits[row], 0, flat, row * logits[0].length, logits[0].length);
            }
            assertArrayEquals(expected.toFloatArray(), flat, 1e-5f);
        }
        try (CompiledModel opened = runtime.open(file)) {
            assertArrayEquals(expected.toFloatArray(), opened.run(Map.of("x", x)).get("logits").toFloatArray(), 1e-5f);
        }
    }

    @Test
    void evaluationUpdatesNothingAndBatchesMustFeedTheDataInputs() {
        try (TrainingSession session = mlpBuilder(mlp(), Mlps.WEIGHTS).build(runtime)) {
            Map<String, Tensor> before = session.weights();
            Evaluation evaluation = session.evaluate(batch(1));
            assertArrayEquals(new long[] {BATCH, Digits.CLASSES}, evaluation.prediction().dims());
            assertTrue(before.get("w1").contentEquals(session.weights().get("w1")));
            assertEquals(0, session.stepCount());
            StepResult result = session.stepWithPrediction(batch(1));
            assertEquals(evaluation.loss(), result.loss(), 1e-6, "a step reports the loss before its update");
            assertTrue(result.prediction().orElseThrow().contentEquals(evaluation.prediction()));
            TrainingException wrong = assertThrows(TrainingException.class,
                    () -> session.step(Map.of("x", batch(0).get("x"))));
            assertTrue(wrong.getMessage().contains("a batch feeds [x, target]"), wrong.getMessage());
            session.close();
            session.close();
            assertThrows(ClosedException.class, () -> session.step(batch(0)));
        }
    }

    @Test
    void setWeightsReplacesTheNamedWeightsBetweenSteps() {
        try (TrainingSession trained = mlpBuilder(mlp(), Mlps.WEIGHTS).build(runtime);
             TrainingSession copy = mlpBuilder(mlp(), Mlps.WEIGHTS).build(runtime)) {
            for (int step = 0; step < 5; step++) {
                trained.step(batch(step));
                copy.step(batch(step + 10));
            }
            Map<String, Tensor> before = copy.weights();
            assertFalse(before.get("w1").contentEquals(trained.weights().get("w1")), "the sessions start apart");
            copy.setWeights(trained.weights());

            for (String weight : Mlps.WEIGHTS) {
                assertTrue(trained.weights().get(weight).contentEquals(copy.weights().get(weight)), weight + " not set");
            }
            assertEquals(trained.evaluate(batch(20)).loss(), copy.evaluate(batch(20)).loss(), 0);
            assertEquals(5, copy.stepCount(), "setting weights takes no step");
            copy.step(batch(21));

            TrainingException unknown = assertThrows(TrainingException.class,
                    () -> copy.setWeights(Map.of("w3", trained.weights().get("w1"))));
            assertTrue(unknown.getMessage().contains("no trainable weight 'w3'"), unknown.getMessage());
            TrainingException shape = assertThrows(TrainingException.class,
                    () -> copy.setWeights(Map.of("w1", trained.weights().get("b1"))));
            assertTrue(shape.getMessage().contains("tensor 'w1' is"), shape.getMessage());
        }
    }

    private static List<String> names(List<Value> values) {
        return values.stream().map(Value::name).toList();
    }
}
