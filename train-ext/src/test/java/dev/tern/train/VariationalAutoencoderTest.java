package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.data.Batch;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.Split;
import dev.tern.train.models.internal.Layers;
import dev.tern.train.report.EpochStats;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A VAE on digits (pixels / 16) with 8 latent dimensions: encoder 64-128 (ReLU) to a mean and
 * a log-variance, a latent sample {@code z = mu + exp(logvar / 2) * eps} with eps from
 * RandomNormalLike, decoder 8-128 (ReLU)-64 logits. Its loss is the Bernoulli reconstruction
 * (binary cross-entropy summed over the pixels) plus the Gaussian KL term, both in nats per
 * example. 20% validation split with seed 5, batches of 32 shuffled with seed 11, noise seeded
 * with 42, one ONNX Runtime thread.
 */
class VariationalAutoencoderTest extends RuntimeExtension {
    private static final String INPUT = "input";
    private static final int PIXELS = 64;
    private static final int LATENT = 8;
    private static final LossTerms ELBO = Loss.term(Loss.perExampleSum(Loss.binaryCrossEntropyWithLogits()), "logits",
            INPUT).named("reconstruction").plus(Loss.gaussianKl("mu", "logvar"));

    private static Split digits;

    @BeforeAll
    static void readDigits() throws IOException {
        digits = CsvDatasetReader.of(DataSets.file("digits.csv"), "label").read().splitStratified(0.2, 5);
    }

    static Model vae(long seed) {
        GraphBuilder g = GraphBuilder.create("vae");
        Layers layers = new Layers(g, new Random(seed));
        Value x = g.input(INPUT, ElementType.FLOAT, Dim.of("batch"), Dim.of(PIXELS));
        Value hidden = g.op("Relu", layers.dense(x, PIXELS, 128, true));
        Value mu = layers.dense(hidden, 128, LATENT, false);
        Value logVariance = layers.dense(hidden, 128, LATENT, false);
        Value half = g.initializer(Tensor.ofFloats("half", new long[0], 0.5f));
        Value noise = g.op("RandomNormalLike", mu);
        Value z = g.op("Add", mu, g.op("Mul", g.op("Exp", g.op("Mul", logVariance, half)), noise));
        z.rename("z");
        Value decoded = g.op("Relu", layers.dense(z, LATENT, 128, true));
        g.output(layers.dense(decoded, 128, PIXELS, false), "logits");
        g.output(mu, "mu");
        g.output(logVariance, "logvar");
        return g.toModel(17);
    }

    private static TrainingSession session(Model model, long seed) {
        return TrainingSession.builder(model)
                .loss(ELBO)
                .trainable(WeightSelection.all(model))
                .optimizer(Optimizer.adam())
                .schedule(LearningRateSchedule.constant(3e-3))
                .seed(seed)
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                .build(runtime);
    }

    private static BatchLoader trainBatches() {
        return BatchLoader.builder(digits.train(), 32).shuffle(11).normalization(Normalization.divideBy(16)).build();
    }

    private static BatchLoader validationBatches() {
        return BatchLoader.builder(digits.validation(), 512).normalization(Normalization.divideBy(16)).build();
    }

    @Test
    void vaeValidationLossFallsBelow26NatsPerExampleWithEachTermReported() {
        Model model = vae(7);
        try (TrainingSession session = session(model, 42)) {
            TrainingOutcome outcome = Trainer.builder(session, trainBatches().feeding(INPUT))
                    .validation(validationBatches().feeding(INPUT))
                    .epochs(30)
                    .build()
                    .fit();

            EpochStats first = outcome.history().epochs().get(0);
            EpochStats last = outcome.history().epochs().get(outcome.history().epochs().size() - 1);
            double reconstruction = last.metric("validation.loss.reconstruction");
            double kl = last.metric("validation.loss.kl");
            assertEquals(reconstruction + kl, last.validationLoss(), 1e-4, "the loss is the sum of its terms");
            assertTrue(kl > 0, "the latent code carries information: KL " + kl);
            assertTrue(last.validationLoss() < 26, last.metrics().toString());
            assertTrue(last.validationLoss() < first.validationLoss(), "validation loss did not fall");
        }
    }

    @Test
    void exportReplacesTheNoiseByItsMeanAndCutsOutTheDecoder() {
        Model model = vae(7);
        try (TrainingSession session = session(model, 42)) {
            for (Batch batch : trainBatches().epoch(0)) {
                session.step(Map.of(INPUT, batch.features()));
            }
            Model exported = session.exportModel();
            Model decoder = session.exportModel(List.of("z"), List.of("logits"));

            assertFalse(exported.graph().nodes().stream().map(Node::opType).anyMatch(op -> op.startsWith("Random")));
            assertEquals(List.of("z"), decoder.graph().inputs().stream().filter(v -> !v.isInitializer())
                    .map(Value::name).toList());
            assertEquals(List.of("logits"), decoder.graph().outputs().stream().map(Value::name).toList());
            Model encoder = session.exportModel("mu", "logvar");
            assertEquals(List.of("mu", "logvar"), encoder.graph().outputs().stream().map(Value::name).toList());
            assertFalse(encoder.graph().initializers().containsKey("fc4.weight"), "the decoder's weights are left out");
            assertTrue(encoder.graph().initializers().containsKey("fc1.weight"));
            Tensor images = validationBatches().epoch(0).iterator().next().features();
            try (CompiledModel full = runtime.compile(exported); CompiledModel decode = runtime.compile(decoder)) {
                Map<String, Tensor> once = full.run(Map.of(INPUT, images));
                Map<String, Tensor> twice = full.run(Map.of(INPUT, images));
                assertTrue(once.get("logits").contentEquals(twice.get("logits")), "the exported model is deterministic");
                Tensor decodedMean = decode.run(Map.of("z", once.get("mu").withName("z"))).get("logits");
                float[] expected = once.get("logits").toFloatArray();
                float[] found = decodedMean.toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], found[i], 1e-5, "the exported VAE decodes its latent mean, element " + i);
                }
            }
        }
    }

    @Test
    void aSeedMakesTheNoiseReproducibleAndAnotherSeedChangesIt() {
        Map<String, Tensor> batch = Map.of(INPUT, validationBatches().epoch(0).iterator().next().features());
        double[] seeded42 = losses(42, batch);
        assertEquals(seeded42[0], losses(42, batch)[0]);
        assertEquals(seeded42[1], losses(42, batch)[1], 0, "the stream goes on the same way step after step");
        assertTrue(seeded42[0] != seeded42[1], "the noise differs from step to step");
        assertTrue(seeded42[0] != losses(43, batch)[0], "another seed, other noise");
    }

    /** The losses of two steps on {@code batch} from the same start, with noise seeded by {@code seed}. */
    private static double[] losses(long seed, Map<String, Tensor> batch) {
        try (TrainingSession session = TrainingSession.builder(vae(7)).loss(ELBO).trainable(List.of("fc5.bias"))
                .optimizer(Optimizer.sgd()).schedule(LearningRateSchedule.constant(0)).seed(seed)
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build()).build(runtime)) {
            return new double[] {session.step(batch).loss(), session.step(batch).loss()};
        }
    }
}
