package dev.tern.train;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.Normalization;
import dev.tern.train.models.ModelTemplates;
import dev.tern.train.report.EpochStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GanTraining} on the digits template for a few epochs: the per-network loss curves,
 * the two exported parts, reproducibility from the seed, and a discriminator that has learnt
 * to tell real digits from the generator's. {@code GanDigitsTest} judges the samples of a long
 * run; the command-line test of {@code tern finetune --task gan} does too.
 */
class GanTrainingTest extends LeakCheckedRuntime {
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();
    private static final int EPOCHS = 3;
    private static final int LATENT = 16;
    private static final int SAMPLES = 256;

    private static Dataset digits;

    @BeforeAll
    static void readDigits() throws IOException {
        digits = CsvDatasetReader.of(DataSets.file("digits.csv"), "label").read();
    }

    private static BatchSource realDigits() {
        return BatchLoader.builder(digits, 64).shuffle(7).normalization(Normalization.divideBy(16)).build()
                .feeding(ModelTemplates.INPUT);
    }

    /** Every digit in batches of 256, unshuffled. */
    private static BatchSource validationDigits() {
        return BatchLoader.builder(digits, 256).normalization(Normalization.divideBy(16)).build()
                .feeding(ModelTemplates.INPUT);
    }

    private static GanTraining.Builder training(long noiseSeed) {
        return GanTraining.builder(ModelTemplates.gan(64, new int[] {128}, LATENT, 3), realDigits())
                .optimizer(new Optimizer.Adam(0.5, 0.999, 1e-8, 0, false))
                .schedule(steps -> LearningRateSchedule.constant(1e-3))
                .epochs(EPOCHS)
                .seed(noiseSeed)
                .sessionConfig(ONE_THREAD);
    }

    private GanTraining.Result train(long noiseSeed) {
        return training(noiseSeed).build().run(runtime);
    }

    @Test
    void trainsBothNetworksReportsEachLossAndExportsEachPart() {
        GanTraining.Result result = train(5);

        assertEquals(EPOCHS, result.history().epochs().size());
        assertEquals(List.of(GanTraining.DISCRIMINATOR, GanTraining.GENERATOR), result.history().lossTerms());
        for (EpochStats epoch : result.history().epochs()) {
            double discriminator = epoch.metric(EpochStats.TRAIN_TERM_PREFIX + GanTraining.DISCRIMINATOR);
            double generator = epoch.metric(EpochStats.TRAIN_TERM_PREFIX + GanTraining.GENERATOR);
            assertTrue(discriminator > 0 && generator > 0, epoch.toString());
            assertEquals(discriminator + generator, epoch.trainLoss(), 1e-9);
        }
        assertEquals(4, result.generatorWeights().size());
        assertEquals(4, result.discriminatorWeights().size());
        assertEquals(List.of(ModelTemplates.LATENT), names(result.generator().graph().inputs()));
        assertEquals(List.of(ModelTemplates.GENERATED), names(result.generator().graph().outputs()));
        assertEquals(List.of(ModelTemplates.INPUT), names(result.discriminator().graph().inputs()));
        assertEquals(List.of(ModelTemplates.REAL_SCORE), names(result.discriminator().graph().outputs()));

        float[] generated = generate(result.generator(), 9);
        assertTrue(mean(score(result.discriminator(), realSamples())) > mean(score(result.discriminator(), generated)),
                "the discriminator scores real digits above generated ones");
    }

    @Test
    void theSameSeedTrainsTheSameGenerator() {
        float[] first = generate(train(5).generator(), 9);
        float[] again = generate(train(5).generator(), 9);
        assertArrayEquals(first, again);
    }

    @Test
    void validationReportsBothNetworksLossesAndLeavesTheTrainingAsItWas() {
        GanTraining.Result validated = training(5).validation(validationDigits()).build().run(runtime);
        GanTraining.Result plain = train(5);

        assertArrayEquals(generate(plain.generator(), 9), generate(validated.generator(), 9));
        assertArrayEquals(score(plain.discriminator(), realSamples()), score(validated.discriminator(), realSamples()));
        assertEquals(plain.history().epochs().size(), validated.history().epochs().size());
        for (EpochStats epoch : validated.history().epochs()) {
            double discriminator = epoch.metric(validationLoss(GanTraining.DISCRIMINATOR));
            double generator = epoch.metric(validationLoss(GanTraining.GENERATOR));
            // The graph sums the terms in float.
            assertEquals(epoch.metric(validationLoss("discriminator.real_score"))
                    + epoch.metric(validationLoss("discriminator.fake_score")), discriminator, 1e-6);
            assertEquals(epoch.metric(validationLoss("generator.fake_score")), generator, 1e-6);
            assertEquals(discriminator + generator, epoch.validationLoss(), 1e-9);
            assertTrue(discriminator > 0 && generator > 0, epoch.toString());
        }
        // The last epoch's weights are the exported ones: its real-score term is BCE(score, 1) = softplus(-score).
        float[] scores = score(validated.discriminator(), allDigits());
        double softplus = 0;
        for (float score : scores) {
            softplus += Math.log1p(Math.exp(-score));
        }
        EpochStats last = validated.history().epochs().get(EPOCHS - 1);
        assertEquals(softplus / scores.length, last.metric(validationLoss("discriminator.real_score")), 1e-5);
    }

    private static String validationLoss(String networkOrTerm) {
        return EpochStats.VALIDATION_TERM_PREFIX + networkOrTerm;
    }

    private static float[] allDigits() {
        float[] all = new float[digits.size() * 64];
        for (int row = 0; row < digits.size(); row++) {
            float[] features = digits.features(row);
            for (int column = 0; column < 64; column++) {
                all[row * 64 + column] = features[column] / 16;
            }
        }
        return all;
    }

    @Test
    void aModelWithoutTheGansInterfaceIsRefusedWithNames() {
        Model classifier = ModelTemplates.mlp(64, new int[] {8}, 10, 1);
        TrainingException refused = assertThrows(TrainingException.class, () -> GanTraining
                .builder(classifier, realDigits())
                .optimizer(Optimizer.adam())
                .schedule(steps -> LearningRateSchedule.constant(1e-3))
                .build());
        assertTrue(refused.getMessage().contains("expected inputs [input, z], found [input]"), refused.getMessage());
    }

    private float[] generate(Model generator, long seed) {
        Random random = new Random(seed);
        float[] noise = new float[SAMPLES * LATENT];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        try (CompiledModel compiled = runtime.compile(generator, ONE_THREAD)) {
            return compiled.run(Map.of(ModelTemplates.LATENT, Tensor.ofFloats(ModelTemplates.LATENT,
                    new long[] {SAMPLES, LATENT}, noise))).get(ModelTemplates.GENERATED).toFloatArray();
        }
    }

    private float[] score(Model discriminator, float[] examples) {
        try (CompiledModel compiled = runtime.compile(discriminator, ONE_THREAD)) {
            return compiled.run(Map.of(ModelTemplates.INPUT, Tensor.ofFloats(ModelTemplates.INPUT,
                    new long[] {examples.length / 64, 64}, examples))).get(ModelTemplates.REAL_SCORE).toFloatArray();
        }
    }

    /** The first training batch: 64 real digits, scaled as in training. */
    private static float[] realSamples() {
        Tensor batch = realDigits().epoch(0).iterator().next().inputs().get(ModelTemplates.INPUT);
        return batch.toFloatArray();
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    private static List<String> names(List<Value> values) {
        return values.stream().map(Value::name).toList();
    }
}
