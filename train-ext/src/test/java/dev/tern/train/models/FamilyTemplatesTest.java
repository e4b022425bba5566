package dev.tern.train.models;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.LossTerms;
import dev.tern.train.Optimizer;
import dev.tern.train.RuntimeExtension;
import dev.tern.train.TrainingSession;
import dev.tern.train.WeightSelection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The autoencoder, VAE and recurrent classifier templates: each runs in ONNX Runtime with the
 * outputs its task names, and its training loss falls over a few dozen Adam steps on one fixed
 * batch of synthetic data (pixel-like values in [0, 1], or token sequences whose class is
 * whether token 1 occurs).
 */
class FamilyTemplatesTest extends RuntimeExtension {
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();
    private static final int STEPS = 40;

    @Test
    void autoencoderReconstructsItsInputAndGivesItsCode() {
        Model model = ModelTemplates.autoencoder(16, new int[] {12, 10}, 4, 3);
        Tensor pixels = pixels(8, 16);

        Map<String, Tensor> out = run(model, pixels);

        assertArrayEquals(new long[] {8, 16}, out.get(ModelTemplates.RECONSTRUCTION).dims());
        assertArrayEquals(new long[] {8, 4}, out.get(ModelTemplates.CODE).dims());
        assertTrue(allWithin(out.get(ModelTemplates.RECONSTRUCTION).toFloatArray(), 0, 1), "a Sigmoid ends the decoder");
        assertArrayEquals(new long[] {10, 4}, weightDims(model, "fc3.weight"), "the code layer");
        assertArrayEquals(new long[] {4, 10}, weightDims(model, "fc4.weight"), "the decoder mirrors the encoder");
        assertEquals(ModelTemplates.RECONSTRUCT, model.metadataProps().get(ModelTemplates.TASK));
        assertLossFalls(model, Loss.mse(ModelTemplates.RECONSTRUCTION, ModelTemplates.INPUT),
                Map.of(ModelTemplates.INPUT, pixels), 0.5);
    }

    @Test
    void vaeGivesLogitsMeanAndLogVarianceAndSamplesItsLatent() {
        Model model = ModelTemplates.vae(16, new int[] {12}, 3, 3);
        Tensor pixels = pixels(8, 16);

        Map<String, Tensor> out = run(model, pixels);

        assertArrayEquals(new long[] {8, 16}, out.get(ModelTemplates.LOGITS).dims());
        assertArrayEquals(new long[] {8, 3}, out.get(ModelTemplates.MU).dims());
        assertArrayEquals(new long[] {8, 3}, out.get(ModelTemplates.LOG_VARIANCE).dims());
        Value z = model.graph().nodes().stream().flatMap(n -> n.outputs().stream())
                .filter(v -> v.name().equals(ModelTemplates.LATENT)).findFirst().orElseThrow();
        assertEquals(1, model.graph().nodes().stream().map(Node::opType).filter("RandomNormalLike"::equals).count());
        assertEquals("MatMul", z.uses().get(0).node().opType(), "the decoder reads the latent sample");
        assertEquals(ModelTemplates.VAE, model.metadataProps().get(ModelTemplates.TASK));
        LossTerms elbo = Loss.term(Loss.perExampleSum(Loss.binaryCrossEntropyWithLogits()), ModelTemplates.LOGITS,
                ModelTemplates.INPUT).named("reconstruction")
                .plus(Loss.gaussianKl(ModelTemplates.MU, ModelTemplates.LOG_VARIANCE));
        // Cross-entropy against targets strictly between 0 and 1 cannot fall below their entropy
        // (about 8 nats per example here), so the loss cannot halve from its start near 14.
        assertLossFalls(model, elbo, Map.of(ModelTemplates.INPUT, pixels), 0.85);
    }

    @Test
    void ganGeneratesFromNoiseAndJudgesRealAndGeneratedWithOneDiscriminator() {
        Model model = ModelTemplates.gan(16, new int[] {12}, 3, 3);
        Tensor pixels = pixels(8, 16);
        Tensor noise = Tensor.ofFloats(ModelTemplates.LATENT, new long[] {8, 3}, new float[8 * 3]);

        Map<String, Tensor> out;
        try (CompiledModel compiled = runtime.compile(model, ONE_THREAD)) {
            out = compiled.run(Map.of(ModelTemplates.INPUT, pixels, ModelTemplates.LATENT, noise));
        }

        float[] generated = out.get(ModelTemplates.GENERATED).toFloatArray();
        assertArrayEquals(new long[] {8, 16}, out.get(ModelTemplates.GENERATED).dims());
        assertTrue(allWithin(generated, 0, 1), "a Sigmoid ends the generator");
        assertArrayEquals(new long[] {8, 1}, out.get(ModelTemplates.REAL_SCORE).dims());
        assertArrayEquals(new long[] {8, 1}, out.get(ModelTemplates.FAKE_SCORE).dims());
        assertEquals(List.of("generator/fc1.weight", "generator/fc1.bias", "generator/fc2.weight", "generator/fc2.bias"),
                WeightSelection.inScopes(model, List.of("generator/")));
        assertEquals(List.of("discriminator/fc1.weight", "discriminator/fc1.bias", "discriminator/fc2.weight",
                "discriminator/fc2.bias"), WeightSelection.inScopes(model, List.of("discriminator/")));
        assertEquals(2, model.graph().initializers().get("discriminator/fc1.weight").uses().size(),
                "one discriminator judges both");
        // Zero noise makes every generated row the same, so every fake score must be too.
        float[] fakeScores = out.get(ModelTemplates.FAKE_SCORE).toFloatArray();
        for (float score : fakeScores) {
            assertEquals(fakeScores[0], score);
        }
        assertEquals(ModelTemplates.GAN, model.metadataProps().get(ModelTemplates.TASK));
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "GRU"})
    void sequenceClassifierReadsTokenIdsAndLearnsWhetherATokenOccurs(String op) {
        Model model = op.equals("LSTM")
                ? ModelTemplates.lstmClassifier(5, 4, 8, 6, 2, 3)
                : ModelTemplates.gruClassifier(5, 4, 8, 6, 2, 3);
        Map<String, Tensor> batch = tokenBatch(new Random(4), 32, 6);

        Map<String, Tensor> out = run(model, batch.get(ModelTemplates.INPUT));

        assertArrayEquals(new long[] {32, 2}, out.get(ModelTemplates.LOGITS).dims());
        assertEquals(1, model.graph().nodes().stream().map(Node::opType).filter(op::equals).count());
        assertArrayEquals(new long[] {5, 4}, weightDims(model, "embedding.weight"));
        int gates = op.equals("LSTM") ? 4 : 3;
        assertArrayEquals(new long[] {1, gates * 8, 4}, weightDims(model, op.toLowerCase() + ".weight"));
        assertEquals(ModelTemplates.CLASSIFY, model.metadataProps().get(ModelTemplates.TASK));
        assertLossFalls(model, Loss.crossEntropy(ModelTemplates.LOGITS, "target"), batch, 0.5);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void rowClassifierReadsFloatRowsInEitherLayout(int layout) {
        Model model = ModelTemplates.recurrentRowClassifier("LSTM", 6, 8, 5, 2, layout, 3);
        float[] values = pixels(32, 30).toFloatArray();
        Tensor sequences = Tensor.ofFloats(ModelTemplates.INPUT, new long[] {32, 5, 6}, values);
        // The class is whether the last value of the last row is bright, so only a state carried to the end knows it.
        long[] classes = new long[32];
        for (int row = 0; row < 32; row++) {
            classes[row] = values[row * 30 + 29] > 0.5f ? 1 : 0;
        }

        Node lstm = model.graph().nodes().stream().filter(n -> n.opType().equals("LSTM")).findFirst().orElseThrow();
        assertEquals(layout, lstm.attribute("layout").orElseThrow().asInt());
        assertEquals(layout == 0 ? 1 : 0, model.graph().nodes().stream().map(Node::opType).filter("Transpose"::equals).count(),
                "only the time-major layout transposes the rows first");
        // ONNX Runtime refuses a batch-first node; the training graph is rewritten time-major, so both layouts train.
        assertLossFalls(model, Loss.crossEntropy(ModelTemplates.LOGITS, "target"), Map.of(ModelTemplates.INPUT, sequences,
                "target", Tensor.ofLongs("target", new long[] {32}, classes)), 0.5);
    }

    @Test
    void badFamilySizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModelTemplates.autoencoder(16, new int[] {8}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelTemplates.vae(0, new int[] {8}, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelTemplates.gan(16, new int[] {8}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelTemplates.lstmClassifier(5, 4, 8, 6, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelTemplates.gruClassifier(5, 0, 8, 6, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelTemplates.recurrentClassifier("RNN", 5, 4, 8, 6, 2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelTemplates.recurrentRowClassifier("GRU", 4, 8, 6, 2, 2, 1));
    }

    /** Trains every weight of {@code model} for {@link #STEPS} Adam steps on one batch; the last loss is below {@code fraction} of the first. */
    private static void assertLossFalls(Model model, LossTerms loss, Map<String, Tensor> batch, double fraction) {
        try (TrainingSession session = TrainingSession.builder(model)
                .loss(loss)
                .trainable(WeightSelection.all(model))
                .optimizer(Optimizer.adam())
                .schedule(LearningRateSchedule.constant(1e-2))
                .seed(5)
                .sessionConfig(ONE_THREAD)
                .build(runtime)) {
            double first = session.step(batch).loss();
            double last = first;
            for (int step = 1; step < STEPS; step++) {
                last = session.step(batch).loss();
            }
            assertTrue(last < fraction * first, "loss from " + first + " to " + last);
        }
    }

    private static Map<String, Tensor> run(Model model, Tensor input) {
        try (CompiledModel compiled = runtime.compile(model, ONE_THREAD)) {
            return compiled.run(Map.of(ModelTemplates.INPUT, input));
        }
    }

    /** {@code rows} examples of {@code width} values in [0, 1], each row a ramp with its own phase. */
    private static Tensor pixels(int rows, int width) {
        float[] values = new float[rows * width];
        for (int row = 0; row < rows; row++) {
            for (int col = 0; col < width; col++) {
                values[row * width + col] = (float) (0.5 + 0.5 * Math.sin(row + col * 0.7));
            }
        }
        return Tensor.ofFloats(ModelTemplates.INPUT, new long[] {rows, width}, values);
    }

    /** Sequences of tokens 0, 2, 3, 4; half of them hold token 1 at one position, and their class is 1. */
    private static Map<String, Tensor> tokenBatch(Random random, int rows, int length) {
        long[] ids = new long[rows * length];
        long[] classes = new long[rows];
        for (int row = 0; row < rows; row++) {
            boolean marked = row % 2 == 1;
            int markAt = random.nextInt(length);
            for (int t = 0; t < length; t++) {
                long other = List.of(0L, 2L, 3L, 4L).get(random.nextInt(4));
                ids[row * length + t] = marked && t == markAt ? 1 : other;
            }
            classes[row] = marked ? 1 : 0;
        }
        return Map.of(ModelTemplates.INPUT, Tensor.ofLongs(ModelTemplates.INPUT, new long[] {rows, length}, ids),
                "target", Tensor.ofLongs("target", new long[] {rows}, classes));
    }

    private static long[] weightDims(Model model, String name) {
        return model.graph().initializers().get(name).initializer().dims();
    }

    private static boolean allWithin(float[] values, float low, float high) {
        for (float v : values) {
            if (!(v >= low && v <= high)) {
                return false;
            }
        }
        return true;
    }
}
