package dev.tern.bench;

import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.GroupTrainingSession;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.LossTerms;
import dev.tern.train.Optimizer;
import dev.tern.train.ParameterGroup;
import dev.tern.train.TrainingSession;
import dev.tern.train.WeightSelection;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Milliseconds per training step of the other model families at batch 64, on fixed random data,
 * every weight trained, one ONNX Runtime run per step (two for the GAN):
 * <ul>
 *   <li>{@code autoencoder}: {@link ModelTemplates#autoencoder} 64-32-8-32-64, MSE between the
 *       reconstruction and the input, Adam (lr 1e-3);
 *   <li>{@code lstm}: {@link ModelTemplates#lstmClassifier} over 16 token ids from 32 (embedding
 *       16, 64 units, 10 classes), cross-entropy, AdamW (lr 1e-3, weight decay 1e-4);
 *   <li>{@code gan}: {@link GanGraph} through {@link GroupTrainingSession}, one step is a
 *       discriminator step then a generator step, both Adam (betas 0.5/0.999, lr 1e-3).
 * </ul>
 * {@code tools/bench/family_step_torch.py} times the same models in PyTorch and
 * {@code tools/bench.sh train} runs both side by side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FamilyStepBenchmark {
    private static final int BATCH = 64;
    private static final int FEATURES = 64;
    private static final int CLASSES = 10;
    private static final int VOCABULARY = 32;
    private static final int EMBEDDING = 16;
    private static final int LSTM_UNITS = 64;
    private static final int STEPS = 16;
    private static final long SEED = 1;
    private static final double LEARNING_RATE = 1e-3;

    @Param({"autoencoder", "lstm", "gan"})
    public String model;

    @Param({"1"})
    public int threads;

    private Runtime runtime;
    private AutoCloseable session;
    private Step step;
    private Map<String, Tensor> batch;

    /** One timed training step of the chosen model. */
    private interface Step {
        void run(Blackhole results);
    }

    @Setup
    public void setUp() {
        runtime = Runtime.create();
        SessionConfig config = SessionConfig.builder().intraOpThreads(threads).build();
        Random random = new Random(2);
        switch (model) {
            case "autoencoder" -> setUpAutoencoder(config, random);
            case "lstm" -> setUpLstm(config, random);
            case "gan" -> setUpGan(config, random);
            default -> throw new IllegalArgumentException("model must be autoencoder, lstm or gan, found " + model);
        }
    }

    private void setUpAutoencoder(SessionConfig config, Random random) {
        Model template = ModelTemplates.autoencoder(FEATURES, new int[] {32}, 8, SEED);
        TrainingSession training = TrainingSession.builder(template)
                .loss(Loss.mse(ModelTemplates.RECONSTRUCTION, ModelTemplates.INPUT))
                .trainable(WeightSelection.all(template))
                .optimizer(Optimizer.adam())
                .schedule(LearningRateSchedule.constant(LEARNING_RATE))
                .sessionConfig(config)
                .build(runtime);
        batch = Map.of(ModelTemplates.INPUT, floats(ModelTemplates.INPUT, random, false, BATCH, FEATURES));
        session = training;
        step = results -> results.consume(training.step(batch));
    }

    private void setUpLstm(SessionConfig config, Random random) {
        Model template = ModelTemplates.lstmClassifier(VOCABULARY, EMBEDDING, LSTM_UNITS, STEPS, CLASSES, SEED);
        TrainingSession training = TrainingSession.builder(template, ModelTemplates.LOGITS)
                .loss(Loss.crossEntropy())
                .trainable(WeightSelection.all(template))
                .optimizer(Optimizer.adamW(1e-4))
                .schedule(LearningRateSchedule.constant(LEARNING_RATE))
                .sessionConfig(config)
                .build(runtime);
        batch = Map.of(ModelTemplates.INPUT, longs(ModelTemplates.INPUT, random, VOCABULARY, BATCH, STEPS),
                "target", longs("target", random, CLASSES, BATCH));
        session = training;
        step = results -> results.consume(training.step(batch));
    }

    private void setUpGan(SessionConfig config, Random random) {
        Optimizer adam = new Optimizer.Adam(0.5, 0.999, 1e-8, 0, false);
        LearningRateSchedule constant = LearningRateSchedule.constant(LEARNING_RATE);
        LossTerms realIsOne = Loss.term(Loss.binaryCrossEntropyWithLogits(), "d_real", "ones");
        LossTerms fakeIsZero = Loss.term(Loss.binaryCrossEntropyWithLogits(), "d_fake", "zeros");
        LossTerms fakeIsOne = Loss.term(Loss.binaryCrossEntropyWithLogits(), "d_fake", "ones");
        GroupTrainingSession gan = GroupTrainingSession.builder(GanGraph.build(SEED))
                .group(new ParameterGroup("discriminator", realIsOne.plus(fakeIsZero), GanGraph.DISCRIMINATOR,
                        adam, constant))
                .group(new ParameterGroup("generator", fakeIsOne, GanGraph.GENERATOR, adam, constant))
                .sessionConfig(config)
                .build(runtime);
        batch = new HashMap<>();
        batch.put("z", floats("z", random, true, BATCH, GanGraph.NOISE));
        batch.put("real", floats("real", random, false, BATCH, GanGraph.FEATURES));
        batch.put("ones", filled("ones", 1f));
        batch.put("zeros", filled("zeros", 0f));
        // The generator's loss reads no zeros; a group is fed only the columns it declares.
        Map<String, Tensor> generatorBatch = new HashMap<>(batch);
        generatorBatch.remove("zeros");
        session = gan;
        step = results -> {
            results.consume(gan.step(batch, "discriminator"));
            results.consume(gan.step(generatorBatch, "generator"));
        };
    }

    @TearDown
    public void tearDown() throws Exception {
        session.close();
        runtime.close();
    }

    @Benchmark
    public void step(Blackhole results) {
        step.run(results);
    }

    /** Uniform values in [0, 1), or standard normal ones when {@code gaussian}. */
    private static Tensor floats(String name, Random random, boolean gaussian, long... dims) {
        float[] values = new float[Math.toIntExact(Arrays.stream(dims).reduce(1, Math::multiplyExact))];
        for (int i = 0; i < values.length; i++) {
            values[i] = gaussian ? (float) random.nextGaussian() : random.nextFloat();
        }
        return Tensor.ofFloats(name, dims, values);
    }

    /** Whole numbers in {@code [0, bound)}. */
    private static Tensor longs(String name, Random random, int bound, long... dims) {
        long[] values = new long[Math.toIntExact(Arrays.stream(dims).reduce(1, Math::multiplyExact))];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(bound);
        }
        return Tensor.ofLongs(name, dims, values);
    }

    private static Tensor filled(String name, float value) {
        float[] values = new float[BATCH];
        Arrays.fill(values, value);
        return Tensor.ofFloats(name, new long[] {BATCH, 1}, values);
    }
}
