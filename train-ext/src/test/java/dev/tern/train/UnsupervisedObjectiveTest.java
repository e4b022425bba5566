package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.Normalization;
import dev.tern.train.models.ModelTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tasks a model stores and the objectives of the two that learn from their input alone: a
 * VAE template fine-tuned for one epoch on digits (pixels / 16) exports its encoder and a
 * sampler; an autoencoder template learns by the mean squared error and refuses a decoder.
 */
class UnsupervisedObjectiveTest extends RuntimeExtension {
    private static final int PIXELS = 64;
    private static final int LATENT = 4;

    @Test
    void theTemplatesStoreTheirTaskAndAnUnknownOneIsNamed() {
        assertEquals(Optional.of(FineTuneTask.VAE), FineTuneTask.storedIn(ModelTemplates.vae(PIXELS, new int[] {16}, 2, 1)));
        assertEquals(Optional.of(FineTuneTask.GAN), FineTuneTask.storedIn(ModelTemplates.gan(PIXELS, new int[] {16}, 2, 1)));
        assertEquals(FineTuneTask.RECONSTRUCT, FineTuneTask.named("reconstruct"));

        Model clustering = ModelTemplates.mlp(PIXELS, new int[] {16}, 10, 1);
        clustering.metadataProps().put(ModelTemplates.TASK, "cluster");
        TrainingException unknown = assertThrows(TrainingException.class, () -> FineTuneTask.storedIn(clustering));
        assertTrue(unknown.getMessage().contains("'" + clustering.graph().name() + "', metadata tern.task: unknown task "
                + "'cluster', expected one of [classify, regress, reconstruct, vae, gan]"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> UnsupervisedObjective.of(FineTuneTask.CLASSIFY, ModelTemplates.LOGITS, ModelTemplates.INPUT));
    }

    @Test
    void aVaeExportsItsEncoderAndASamplerOfPixels() {
        Model vae = ModelTemplates.vae(PIXELS, new int[] {32}, LATENT, 3);
        UnsupervisedObjective objective = UnsupervisedObjective.of(FineTuneTask.VAE, ModelTemplates.LOGITS,
                ModelTemplates.INPUT);
        FineTune.Builder recipe = FineTune.builder(vae, digitBatches().feeding(ModelTemplates.INPUT))
                .loss(objective.loss())
                .optimizer(Optimizer.adam())
                .schedule(steps -> LearningRateSchedule.constant(1e-3))
                .epochs(1)
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build());

        FineTune.Result result = objective.exportParts(recipe, vae, true, true).build().run(runtime);

        List<String> terms = result.outcome().history().lossTerms();
        assertEquals(2, terms.size(), terms.toString());
        assertTrue(terms.contains("reconstruction"), terms.toString());
        Model encoder = result.part(UnsupervisedObjective.ENCODER);
        assertEquals(List.of(ModelTemplates.MU, ModelTemplates.LOG_VARIANCE),
                encoder.graph().outputs().stream().map(Value::name).toList());
        Model sampler = UnsupervisedObjective.sampler(result.part(UnsupervisedObjective.DECODER));
        assertEquals(ModelTemplates.RECONSTRUCTION, sampler.graph().outputs().get(0).name());
        float[] pixels;
        try (CompiledModel compiled = runtime.compile(sampler)) {
            Tensor z = Tensor.ofFloats(ModelTemplates.LATENT, new long[] {3, LATENT}, new float[3 * LATENT]);
            pixels = compiled.run(Map.of(ModelTemplates.LATENT, z)).get(ModelTemplates.RECONSTRUCTION).toFloatArray();
        }
        assertEquals(3 * PIXELS, pixels.length);
        for (float pixel : pixels) {
            assertTrue(pixel > 0 && pixel < 1, "a sampler's pixels pass through a Sigmoid: " + pixel);
        }
    }

    @Test
    void anAutoencoderLearnsByMeanSquaredErrorAndHasNoDecoderPart() {
        Model autoencoder = ModelTemplates.autoencoder(PIXELS, new int[] {16}, LATENT, 1);
        UnsupervisedObjective objective = UnsupervisedObjective.of(FineTuneTask.RECONSTRUCT,
                ModelTemplates.RECONSTRUCTION, ModelTemplates.INPUT);
        assertEquals(Loss.meanSquaredError(), objective.reportedLoss());
        FineTune.Builder recipe = FineTune.builder(autoencoder, digitBatches().feeding(ModelTemplates.INPUT))
                .loss(objective.loss());

        TrainingException decoder = assertThrows(TrainingException.class,
                () -> objective.exportParts(recipe, autoencoder, false, true));
        assertTrue(decoder.getMessage().contains("needs task vae, found reconstruct"), decoder.getMessage());
    }

    private static BatchLoader digitBatches() {
        Dataset digits;
        try {
            digits = CsvDatasetReader.of(DataSets.file("digits.csv"), "label").read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return BatchLoader.builder(digits, 64).shuffle(1).normalization(Normalization.divideBy(16)).build();
    }
}
