package dev.tern.bench;

import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.onnx.OnnxImporter;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.StepResult;
import dev.tern.train.TrainingSession;
import dev.tern.train.WeightSelection;
import dev.tern.train.data.TextTokenizer;
import dev.tern.train.models.ClassifierHead;
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

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Milliseconds per full fine-tuning step of the pretrained all-MiniLM-L6-v2 (6 layers, hidden
 * 384, 22.7 M weights) with a 4-class mean-pooling head ({@link ClassifierHead}), at batch 8
 * of 128 tokens: every weight trained, cross-entropy, AdamW (lr 1e-4, weight decay 0.01), one
 * ONNX Runtime run per step. The tokens are fixed random word pieces with full attention (the
 * timing does not depend on them). {@code tools/bench/encoder_step_torch.py} times a
 * same-sized BERT encoder in PyTorch; {@code tools/bench.sh train} runs both side by side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
public class EncoderStepBenchmark {
    static final Path MODEL = Path.of("tools/target/models/all-minilm-l6-v2.onnx");
    private static final int BATCH = 8;
    private static final int TOKENS = 128;
    private static final int CLASSES = 4;
    /** BERT's vocabulary; ids from 1000 on are ordinary word pieces. */
    private static final int VOCABULARY = 30522;

    /** Named so the side-by-side table joins it with the PyTorch rows. */
    @Param({"minilm"})
    public String model;

    @Param({"1", "2"})
    public int threads;

    private Runtime runtime;
    private TrainingSession session;
    private Map<String, Tensor> batch;

    @Setup
    public void setUp() throws IOException {
        Model classifier = ClassifierHead.meanPooled(OnnxImporter.read(MODEL), "last_hidden_state",
                TextTokenizer.ATTENTION_MASK, CLASSES, 1);
        runtime = Runtime.create();
        session = TrainingSession.builder(classifier, ModelTemplates.LOGITS)
                .loss(Loss.crossEntropy())
                .trainable(WeightSelection.all(classifier))
                .optimizer(Optimizer.adamW(0.01))
                .schedule(LearningRateSchedule.constant(1e-4))
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

    private static Map<String, Tensor> batch(Random random) {
        long[] dims = {BATCH, TOKENS};
        long[] ids = new long[BATCH * TOKENS];
        long[] mask = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            int position = i % TOKENS;
            ids[i] = position == 0 ? 101 : position == TOKENS - 1 ? 102 : 1000 + random.nextInt(VOCABULARY - 1000);
            mask[i] = 1;
        }
        long[] labels = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = random.nextInt(CLASSES);
        }
        Map<String, Tensor> feed = new HashMap<>();
        feed.put(TextTokenizer.INPUT_IDS, Tensor.ofLongs(TextTokenizer.INPUT_IDS, dims, ids));
        feed.put(TextTokenizer.ATTENTION_MASK, Tensor.ofLongs(TextTokenizer.ATTENTION_MASK, dims, mask));
        feed.put(TextTokenizer.TOKEN_TYPE_IDS, Tensor.zeros(TextTokenizer.TOKEN_TYPE_IDS, ElementType.INT64, dims));
        feed.put("target", Tensor.ofLongs("target", new long[] {BATCH}, labels));
        return feed;
    }
}
