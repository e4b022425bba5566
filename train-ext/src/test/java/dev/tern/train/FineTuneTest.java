package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.Split;
import dev.tern.train.models.ModelTemplates;
import dev.tern.train.report.EpochStats;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fine-tuning recipe on digits with a 64-32-10 MLP: 20% stratified validation split with
 * seed 5, batches of 64 shuffled with seed 11, one ONNX Runtime thread.
 */
class FineTuneTest extends RuntimeExtension {
    private static Split digits;

    @BeforeAll
    static void readDigits() throws IOException {
        digits = CsvDatasetReader.of(DataSets.file("digits.csv"), "label").read().splitStratified(0.2, 5);
    }

    private static FineTune.Builder recipe(Model mlp) {
        BatchLoader train = BatchLoader.builder(digits.train(), 64).shuffle(11).normalization(Normalization.divideBy(16)).build();
        BatchLoader validation = BatchLoader.builder(digits.validation(), 256).normalization(Normalization.divideBy(16)).build();
        return FineTune.builder(mlp, train.feeding(ModelTemplates.INPUT))
                .validation(validation.feeding(ModelTemplates.INPUT))
                .loss(Loss.crossEntropy(), ModelTemplates.LOGITS)
                .optimizer(Optimizer.adam())
                .schedule(steps -> LearningRateSchedule.cosine(1e-2, steps, 0))
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build());
    }

    @Test
    void frozenScopesStayAsTheyWereAndTheBestEpochIsExported() {
        Model mlp = ModelTemplates.mlp(64, new int[] {32}, 10, 3);
        FineTune fineTune = recipe(mlp).frozen(List.of("fc1")).epochs(3).build();
        assertEquals(List.of("fc2.weight", "fc2.bias"), fineTune.weights());

        FineTune.Result result = fineTune.run(runtime);

        Model tuned = result.model();
        for (String frozen : List.of("fc1.weight", "fc1.bias")) {
            assertTrue(initializer(mlp, frozen).contentEquals(initializer(tuned, frozen)), frozen + " changed");
        }
        assertFalse(initializer(mlp, "fc2.weight").contentEquals(initializer(tuned, "fc2.weight")), "fc2 did not train");
        assertEquals(32 * 10 + 10, result.trainedParameters(), "fc2's weight and bias");
        assertEquals(result.outcome().bestEpoch(), result.outcome().keptEpoch(), "with validation the best epoch is kept");
        EpochStats best = result.outcome().history().epochs().get(result.outcome().bestEpoch() - 1);
        // A random frozen hidden layer limits it (measured 0.66); chance is 0.1.
        assertTrue(best.validationAccuracy() > 0.5, "accuracy " + best.validationAccuracy());
        assertEquals(0, runtime.openModels(), "the recipe closes its session");
    }

    @Test
    void partsOfATrainedVaeAreExportedWithTheKeptWeights() {
        Model vae = ModelTemplates.vae(64, new int[] {32}, 8, 3);
        BatchLoader train = BatchLoader.builder(digits.train(), 64).shuffle(11).normalization(Normalization.divideBy(16)).build();
        LossTerms elbo = Loss.term(Loss.perExampleSum(Loss.binaryCrossEntropyWithLogits()), ModelTemplates.LOGITS,
                ModelTemplates.INPUT).named("reconstruction")
                .plus(Loss.gaussianKl(ModelTemplates.MU, ModelTemplates.LOG_VARIANCE));

        FineTune.Result result = FineTune.builder(vae, train.feeding(ModelTemplates.INPUT))
                .loss(elbo)
                .optimizer(Optimizer.adam())
                .schedule(steps -> LearningRateSchedule.constant(3e-3))
                .exportPart("encoder", List.of(), List.of(ModelTemplates.MU, ModelTemplates.LOG_VARIANCE))
                .exportPart("decoder", List.of(ModelTemplates.LATENT), List.of(ModelTemplates.LOGITS))
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                .build()
                .run(runtime);

        Model encoder = result.part("encoder");
        Model decoder = result.part("decoder");
        assertEquals(List.of(ModelTemplates.MU, ModelTemplates.LOG_VARIANCE), names(encoder.graph().outputs()));
        assertFalse(encoder.graph().initializers().containsKey("fc5.weight"), "the encoder leaves out the decoder");
        assertEquals(List.of(ModelTemplates.LATENT), names(decoder.graph().inputs().stream()
                .filter(v -> !v.isInitializer()).toList()));
        assertTrue(initializer(result.model(), "fc5.weight").contentEquals(initializer(decoder, "fc5.weight")),
                "the parts hold the whole model's trained weights");
        assertFalse(initializer(vae, "fc5.weight").contentEquals(initializer(decoder, "fc5.weight")), "fc5 trained");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> result.part("generator"));
        assertTrue(unknown.getMessage().contains("[encoder, decoder]"), unknown.getMessage());
    }

    private static List<String> names(List<Value> values) {
        return values.stream().map(Value::name).toList();
    }

    @Test
    void scopesThatMatchNothingAreNamed() {
        Model mlp = ModelTemplates.mlp(64, new int[] {32}, 10, 3);
        TrainingException frozen = assertThrows(TrainingException.class, () -> recipe(mlp).frozen(List.of("conv")).build());
        assertTrue(frozen.getMessage().contains("frozen scope 'conv'") && frozen.getMessage().contains("fc1.weight"),
                frozen.getMessage());
        TrainingException trainable = assertThrows(TrainingException.class,
                () -> recipe(mlp).trainable(List.of("decoder")).build());
        assertTrue(trainable.getMessage().contains("scope 'decoder'"), trainable.getMessage());
        TrainingException everything = assertThrows(TrainingException.class, () -> recipe(mlp).frozen(List.of("fc")).build());
        assertTrue(everything.getMessage().contains("no weight left to train"), everything.getMessage());
        assertEquals(List.of("fc1.weight", "fc1.bias"), recipe(mlp).trainable(List.of("fc1")).build().weights());
    }

    private static Tensor initializer(Model model, String name) {
        return model.graph().initializers().get(name).initializer();
    }
}
