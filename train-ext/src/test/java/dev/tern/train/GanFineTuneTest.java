package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.ScalingMethod;
import dev.tern.train.models.ModelTemplates;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link GanFineTune} on the digits CSV, grey levels 0 to 16 divided by 16: the same training
 * as {@link GanTraining} on batches made by hand, with the generator scaled back to the data's
 * levels and the discriminator taking them.
 */
class GanFineTuneTest extends LeakCheckedRuntime {
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();
    private static final int LATENT = 16;
    private static final int EPOCHS = 2;
    private static final long SEED = 7;

    private static Model gan() {
        return ModelTemplates.gan(64, new int[] {64}, LATENT, 3);
    }

    @Test
    void trainsAsGanTrainingDoesAndHandsBackBothNetworksInTheDataScale() throws IOException {
        GanFineTune.Result result = GanFineTune.builder(gan(), DataSets.file("digits.csv"))
                .scaling(ScalingMethod.divideBy(16))
                .optimizer(Optimizer.adam())
                .schedule(steps -> LearningRateSchedule.constant(1e-3))
                .epochs(EPOCHS)
                .batch(64)
                .seed(SEED)
                .sessionConfig(ONE_THREAD)
                .build()
                .run(runtime);
        BatchLoader byHand = BatchLoader.builder(CsvDatasetReader.of(DataSets.file("digits.csv"), "label").read(), 64)
                .shuffle(SEED).normalization(Normalization.divideBy(16)).build();
        GanTraining.Result expected = GanTraining.builder(gan(), byHand.feeding(ModelTemplates.INPUT))
                .optimizer(new Optimizer.Adam(GanFineTune.GAN_BETA1, 0.999, 1e-8, 0, false))
                .schedule(steps -> LearningRateSchedule.constant(1e-3))
                .epochs(EPOCHS)
                .seed(SEED)
                .sessionConfig(ONE_THREAD)
                .build()
                .run(runtime);

        assertEquals(1797, result.examples());
        assertEquals(expected.history().epochs().size(), result.training().history().epochs().size());
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            assertEquals(expected.history().epochs().get(epoch).trainLoss(),
                    result.training().history().epochs().get(epoch).trainLoss(), 0, "epoch " + (epoch + 1));
        }
        Tensor noise = noise(32);
        float[] scaled = generate(expected.generator(), noise);
        float[] levels = generate(result.generator(), noise);
        for (int i = 0; i < levels.length; i++) {
            assertEquals(scaled[i] * 16, levels[i], 1e-5, "the generator gives grey levels, element " + i);
            assertTrue(levels[i] >= 0 && levels[i] <= 16, "level " + levels[i]);
        }
        assertEquals(List.of("Sub", "Div"), result.discriminator().graph().nodes().stream().limit(2).map(Node::opType)
                .toList(), "the discriminator scales the levels it is given");
        assertArrayEquals(scores(expected.discriminator(), byHandInput(levels, 1f / 16)),
                scores(result.discriminator(), byHandInput(levels, 1f)), 1e-5f);
        assertFalse(result.generator().metadataProps().containsKey(ModelTemplates.TASK), "a generator alone is no GAN");
        assertFalse(result.discriminator().metadataProps().containsKey(ModelTemplates.TASK));
    }

    @Test
    void aScalingAGeneratorCannotReachAndAModelThatIsNoGanAreRefused() {
        GanFineTune.Builder builder = GanFineTune.builder(gan(), DataSets.file("digits.csv"));
        assertThrows(IllegalArgumentException.class, () -> builder.scaling(ScalingMethod.standardize()));

        GanFineTune classifier = GanFineTune.builder(ModelTemplates.mlp(64, new int[] {8}, 10, 3),
                        DataSets.file("digits.csv"))
                .optimizer(Optimizer.adam())
                .schedule(steps -> LearningRateSchedule.constant(1e-3))
                .build();
        TrainingException refused = assertThrows(TrainingException.class, () -> classifier.run(runtime));
        assertTrue(refused.getMessage().contains("is no GAN: expected inputs [input, z], found [input]"),
                refused.getMessage());
    }

    private static Tensor noise(int rows) {
        Random random = new Random(1);
        float[] values = new float[rows * LATENT];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensor.ofFloats(ModelTemplates.LATENT, new long[] {rows, LATENT}, values);
    }

    private static float[] generate(Model generator, Tensor noise) {
        try (CompiledModel compiled = runtime.compile(generator, ONE_THREAD)) {
            return compiled.run(Map.of(ModelTemplates.LATENT, noise)).get(ModelTemplates.GENERATED).toFloatArray();
        }
    }

    /** {@code examples} times {@code factor}, as the discriminator's input. */
    private static Tensor byHandInput(float[] examples, float factor) {
        float[] values = new float[examples.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = examples[i] * factor;
        }
        return Tensor.ofFloats(ModelTemplates.INPUT, new long[] {values.length / 64, 64}, values);
    }

    private static float[] scores(Model discriminator, Tensor examples) {
        try (CompiledModel compiled = runtime.compile(discriminator, ONE_THREAD)) {
            return compiled.run(Map.of(ModelTemplates.INPUT, examples)).get(ModelTemplates.REAL_SCORE).toFloatArray();
        }
    }
}
