package dev.tern.train;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LSTM and GRU classifiers over int64 token ids, batch-first (layout 1) and time-first
 * (layout 0), with variable-length sequences (sequence_lens), trained by
 * {@link TrainingSession} and exported. The task: does token 3 occur among a sequence's first
 * len tokens? Past its length every sequence is padded with token 3, so a model that read the
 * padding would be wrong on every negative example; only sequence_lens makes the task
 * learnable. The session's evaluation and the exported model both run in ONNX Runtime, whose
 * CPU kernels refuse layout 1, so batch-first nodes are rewritten time-major for them; the
 * exported model must classify at least 97% of held-out sequences correctly.
 */
class SequenceClassifierTrainingTest extends RuntimeExtension {
    private static final int SEQUENCE = 8;
    private static final int VOCABULARY = 4;
    private static final long MARKER = 3;
    private static final int EMBEDDING = 4;
    private static final int HIDDEN = 8;
    private static final int BATCH = 64;
    private static final int STEPS = 150;
    private static final List<String> WEIGHTS = List.of("embedding", "w", "r", "b", "head", "head_bias");

    @ParameterizedTest(name = "{0}, layout {1}")
    @CsvSource({"LSTM, 0", "LSTM, 1", "GRU, 0", "GRU, 1"})
    void learnsWhetherAMarkerOccursWithinEachSequencesLength(String op, int layout) {
        Random random = new Random(17);
        Model model = classifier(op, layout == 1, random);
        Map<String, Tensor> held = batch(new Random(99), 512, layout == 1);
        try (TrainingSession session = TrainingSession.builder(model, "logits")
                .loss(Loss.crossEntropy())
                .trainable(WEIGHTS)
                .optimizer(Optimizer.adam())
                .schedule(LearningRateSchedule.cosine(0.05, STEPS, 0.002))
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                .build(runtime)) {
            for (int step = 0; step < STEPS; step++) {
                session.step(batch(random, BATCH, layout == 1));
            }
            double heldLoss = session.evaluate(held).loss();
            assertTrue(heldLoss < 0.2, op + " layout " + layout + ": held-out loss " + heldLoss);
            Model exported = session.exportModel();
            assertTrue(exported.graph().nodes().stream().map(Node::opType).anyMatch(op::equals),
                    "the exported model keeps its " + op + " node");
            try (CompiledModel compiled = runtime.compile(exported)) {
                float[] logits = compiled.run(Map.of("ids", held.get("ids"), "lengths", held.get("lengths")))
                        .get("logits").toFloatArray();
                double accuracy = accuracy(logits, held.get("target").toLongArray());
                assertTrue(accuracy >= 0.97, op + " layout " + layout + ": held-out accuracy " + accuracy);
            }
        }
    }

    /** ids → embedding → op (hidden 8, sequence_lens) → last hidden state → dense layer → 2 logits. */
    private static Model classifier(String op, boolean batchFirst, Random random) {
        int gates = op.equals("LSTM") ? 4 : 3;
        GraphBuilder g = GraphBuilder.create(op.toLowerCase() + "_classifier");
        Value ids = batchFirst
                ? g.input("ids", ElementType.INT64, Dim.of("batch"), Dim.of(SEQUENCE))
                : g.input("ids", ElementType.INT64, Dim.of(SEQUENCE), Dim.of("batch"));
        Value lengths = g.input("lengths", ElementType.INT32, Dim.of("batch"));
        Value embedding = g.initializer(uniform(random, "embedding", 0.5, VOCABULARY, EMBEDDING));
        Value embedded = g.node("Gather").inputs(embedding, ids).attr("axis", 0L).output();
        Value w = g.initializer(uniform(random, "w", 0.5, 1, gates * HIDDEN, EMBEDDING));
        Value r = g.initializer(uniform(random, "r", 0.3, 1, gates * HIDDEN, HIDDEN));
        Value b = g.initializer(uniform(random, "b", 0.1, 1, 2 * gates * HIDDEN));
        Value lastHidden = g.node(op).name("encoder").inputs(embedded, w, r, b, lengths)
                .attr("hidden_size", (long) HIDDEN).attr("layout", batchFirst ? 1L : 0L)
                .outputs(null, "y_h").get(1);
        Value features = g.op("Reshape", lastHidden, g.initializer(Tensor.ofLongs("rows", new long[] {2}, -1, HIDDEN)));
        Value head = g.initializer(uniform(random, "head", 0.3, HIDDEN, 2));
        Value headBias = g.initializer(uniform(random, "head_bias", 0.1, 2));
        g.output(g.op("Add", g.op("MatMul", features, head), headBias), "logits");
        return g.toModel(14);
    }

    /** Half the sequences hold the marker within their length; all are padded with it past their length. */
    private static Map<String, Tensor> batch(Random random, int rows, boolean batchFirst) {
        long[] ids = new long[rows * SEQUENCE];
        int[] lengths = new int[rows];
        long[] target = new long[rows];
        for (int row = 0; row < rows; row++) {
            int length = 3 + random.nextInt(SEQUENCE - 2);
            boolean marked = random.nextBoolean();
            int markAt = random.nextInt(length);
            for (int t = 0; t < SEQUENCE; t++) {
                long token = t >= length || marked && t == markAt ? MARKER : random.nextInt((int) MARKER);
                ids[batchFirst ? row * SEQUENCE + t : t * rows + row] = token;
            }
            lengths[row] = length;
            target[row] = marked ? 1 : 0;
        }
        long[] idDims = batchFirst ? new long[] {rows, SEQUENCE} : new long[] {SEQUENCE, rows};
        return Map.of("ids", Tensor.ofLongs("ids", idDims, ids),
                "lengths", Tensor.ofInts("lengths", new long[] {rows}, lengths),
                "target", Tensor.ofLongs("target", new long[] {rows}, target));
    }

    private static double accuracy(float[] logits, long[] labels) {
        int correct = 0;
        for (int row = 0; row < labels.length; row++) {
            long predicted = logits[2 * row + 1] > logits[2 * row] ? 1 : 0;
            correct += predicted == labels[row] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    private static Tensor uniform(Random random, String name, double bound, long... dims) {
        int count = 1;
        for (long dim : dims) {
            count *= (int) dim;
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (bound * (2 * random.nextDouble() - 1));
        }
        return Tensor.ofFloats(name, dims, values);
    }
}
