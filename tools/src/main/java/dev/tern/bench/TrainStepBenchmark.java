package dev.tern.bench;

import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.StepResult;
import dev.tern.train.TrainingSession;
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
 * Milliseconds per training step of the digits MLP (64-128-10, Relu, cross-entropy, AdamW)
 * at batch 64 through {@link TrainingSession}: one ONNX Runtime run doing forward, loss,
 * backward and update, with the weights and Adam state in swapped native sets. The batch is
 * fixed random data (the timing does not depend on the values), so data loading is not
 * measured; wrapping the batch for ONNX Runtime is. Run with
 * {@code java -cp tools/target/tern.jar dev.tern.bench.TrainStepBenchmark} (1 and 2 threads)
 * or through {@code org.openjdk.jmh.Main TrainStepBenchmark} with JMH's own options.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TrainStepBenchmark {
    private static final int BATCH = 64;
    private static final int IN = 64;
    private static final int HIDDEN = 128;
    private static final int CLASSES = 10;

    @Param({"1", "2"})
    public int threads;

    private Runtime runtime;
    private TrainingSession session;
    private Map<String, Tensor> batch;

    @Setup
    public void setUp() {
        runtime = Runtime.create();
        session = TrainingSession.builder(mlp(new Random(1)), "logits")
                .loss(Loss.crossEntropy())
                .trainable(List.of("w1", "b1", "w2", "b2"))
                .optimizer(Optimizer.adamW(1e-4))
                .schedule(LearningRateSchedule.constant(1e-3))
                .sessionConfig(SessionConfig.builder().intraOpThreads(threads).build())
                .build(runtime);
        batch = batch(new Random(2));
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

    private static Model mlp(Random random) {
        GraphBuilder g = GraphBuilder.create("mlp");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(IN));
        Value w1 = g.initializer(uniform("w1", random, IN, IN, HIDDEN));
        Value b1 = g.initializer(uniform("b1", random, IN, HIDDEN));
        Value w2 = g.initializer(uniform("w2", random, HIDDEN, HIDDEN, CLASSES));
        Value b2 = g.initializer(uniform("b2", random, HIDDEN, CLASSES));
        Value hidden = g.op("Relu", g.op("Add", g.op("MatMul", x, w1), b1));
        g.output(g.op("Add", g.op("MatMul", hidden, w2), b2), "logits");
        return g.toModel(17);
    }

    /** Uniform in +-1/sqrt(fanIn), PyTorch's Linear initialization. */
    private static Tensor uniform(String name, Random random, int fanIn, long... dims) {
        float[] values = new float[Math.toIntExact(dims.length == 1 ? dims[0] : dims[0] * dims[1])];
        float bound = (float) (1 / Math.sqrt(fanIn));
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * bound;
        }
        return Tensor.ofFloats(name, dims, values);
    }

    private static Map<String, Tensor> batch(Random random) {
        float[] x = new float[BATCH * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        long[] labels = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = random.nextInt(CLASSES);
        }
        return Map.of("x", Tensor.ofFloats("x", new long[] {BATCH, IN}, x),
                "target", Tensor.ofLongs("target", new long[] {BATCH}, labels));
    }
}
