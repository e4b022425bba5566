package dev.tern.bench;

import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.StepResult;
import dev.tern.train.TrainingSession;
import dev.tern.train.models.ModelTemplates;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Milliseconds per training step of the digits models from {@link ModelTemplates} at batch 64
 * through {@link TrainingSession}: the MLP 64-128-10 on {@code [64, 64]} inputs and the CNN on
 * {@code [64, 1, 8, 8]} inputs, cross-entropy over logits, AdamW (lr 1e-3, weight decay 1e-4),
 * every weight trained. Each step is one ONNX Runtime run doing forward, loss, backward and
 * update, with the weights and Adam state in swapped native sets. The batch is fixed random
 * data (the timing does not depend on the values), so data loading is not measured; wrapping
 * the batch for ONNX Runtime is. {@code tools/bench/train_step_torch.py} times the same models
 * in PyTorch and {@code tools/bench.sh train} runs both side by side. Run alone with
 * {@code java -cp tools/target/tern.jar dev.tern.bench.TrainStepBenchmark} (both models, 1 and
 * 2 threads) or through {@code org.openjdk.jmh.Main TrainStepBenchmark} with JMH's own options.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TrainStepBenchmark {
    private static final int BATCH = 64;
    private static final int SIDE = 8;
    private static final int CLASSES = 10;
    private static final long SEED = 1;

    @Param({"mlp", "cnn"})
    public String model;

    @Param({"1", "2"})
    public int threads;

    private Runtime runtime;
    private TrainingSession session;
    private Map<String, Tensor> batch;

    @Setup
    public void setUp() {
        boolean cnn = model.equals("cnn");
        Model template = cnn
                ? ModelTemplates.cnn(1, SIDE, SIDE, CLASSES, SEED)
                : ModelTemplates.mlp(SIDE * SIDE, new int[] {128}, CLASSES, SEED);
        runtime = Runtime.create();
        session = TrainingSession.builder(template, ModelTemplates.LOGITS)
                .loss(Loss.crossEntropy())
                .trainable(List.copyOf(template.graph().initializers().keySet()))
                .optimizer(Optimizer.adamW(1e-4))
                .schedule(LearningRateSchedule.constant(1e-3))
                .sessionConfig(SessionConfig.builder().intraOpThreads(threads).build())
                .build(runtime);
        long[] inputShape = cnn ? new long[] {BATCH, 1, SIDE, SIDE} : new long[] {BATCH, SIDE * SIDE};
        batch = batch(new Random(2), inputShape);
    }

    @TearDown
    public void tearDown() {
        session.close();
        runtime.close();
    }

    @Benchmark
    public StepResult step() {
        return session.step(batch);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(TrainStepBenchmark.class.getSimpleName()).build()).run();
    }

    private static Map<String, Tensor> batch(Random random, long[] inputShape) {
        float[] x = new float[BATCH * SIDE * SIDE];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        long[] labels = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = random.nextInt(CLASSES);
        }
        return Map.of(ModelTemplates.INPUT, Tensor.ofFloats(ModelTemplates.INPUT, inputShape, x),
                "target", Tensor.ofLongs("target", new long[] {BATCH}, labels));
    }
}
