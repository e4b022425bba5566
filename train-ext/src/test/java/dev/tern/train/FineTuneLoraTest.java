package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.Adapter;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.RunControl;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.Split;
import dev.tern.train.lora.LoraResult;
import dev.tern.train.lora.LoraSettings;
import dev.tern.train.models.ModelTemplates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fine-tuning recipe with LoRA on digits: a 64-32-10 MLP, adapters on the hidden layer,
 * 20% stratified validation split with seed 5, batches of 64 shuffled with seed 11, one ONNX
 * Runtime thread.
 */
class FineTuneLoraTest extends RuntimeExtension {
    private static Split digits;

    @TempDir
    Path folder;

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
    void adaptersOnTheHiddenLayerTrainWithTheHeadAndTheMergedModelIsTheBaseWithTheAdapter() {
        Model mlp = ModelTemplates.mlp(64, new int[] {32}, 10, 3);
        LoraSettings lora = LoraSettings.of(List.of("fc1"), 4).withAlpha(8).withSeed(2);
        FineTune fineTune = recipe(mlp).lora(lora).trainable(List.of("fc2")).epochs(3).build();
        assertEquals(List.of("fc2.weight", "fc2.bias", "MatMul_0.lora_A", "MatMul_0.lora_B"), fineTune.weights());

        FineTune.Result result = fineTune.run(runtime);

        Model merged = result.model();
        LoraResult adapters = result.lora().orElseThrow();
        assertEquals(List.of("MatMul_0"), adapters.targets(), "unnamed nodes: the adapters take the IR's node names");
        assertEquals(List.of("MatMul_0.lora_A", "MatMul_0.lora_B", "fc2.weight", "fc2.bias"),
                adapters.adapter().parameters().stream().map(Tensor::name).toList());
        assertEquals(64 * 4 + 4 * 32 + 32 * 10 + 10, result.trainedParameters(),
                "A [64, 4] and B [4, 32], then fc2's weight and bias; not fc1's weight");
        assertFalse(initializer(mlp, "fc1.weight").contentEquals(initializer(merged, "fc1.weight")),
                "the adapter is merged into fc1");
        assertTrue(initializer(mlp, "fc1.bias").contentEquals(initializer(merged, "fc1.bias")), "fc1.bias is frozen");
        assertEquals(mlp.graph().initializers().keySet(), merged.graph().initializers().keySet(),
                "the merged model is plain: the original's weights and nothing more");
        double best = result.outcome().history().epochs().get(result.outcome().bestEpoch() - 1).validationAccuracy();
        // FineTuneTest's frozen random hidden layer reaches 0.66 in as many epochs; chance is 0.1.
        assertTrue(best > 0.8, "accuracy " + best);

        Path file = folder.resolve("digits.onnx_adapter");
        adapters.adapter().write(file);
        float[] expected = logits(merged, RunControl.none());
        float[] withAdapter;
        try (Adapter adapter = runtime.loadAdapter(file)) {
            withAdapter = logits(adapters.base(), RunControl.adapter(adapter));
        }
        assertArrayEquals(expected, withAdapter, 1e-5f);
        assertFalse(Arrays.equals(expected, logits(adapters.base(), RunControl.none())), "without it, the base is the original");
        assertArrayEquals(logits(mlp, RunControl.none()), logits(adapters.base(), RunControl.none()), 1e-6f);
        assertEquals(0, runtime.openModels(), "the recipe closes its session");
    }

    @Test
    void adaptersTrainThroughDropoutOnTheirInputAndTheMergedModelHasNone() {
        Model mlp = ModelTemplates.mlp(64, new int[] {32}, 10, 3);
        LoraSettings lora = LoraSettings.of(List.of("fc1"), 4).withAlpha(8).withDropout(0.2).withSeed(2);

        FineTune.Result result = recipe(mlp).lora(lora).trainable(List.of("fc2")).epochs(3).build().run(runtime);

        Model merged = result.model();
        assertEquals(List.of(), merged.graph().nodes().stream().filter(node -> node.opType().equals("Dropout")).toList());
        assertEquals(mlp.graph().initializers().keySet(), merged.graph().initializers().keySet());
        double best = result.outcome().history().epochs().get(result.outcome().bestEpoch() - 1).validationAccuracy();
        // Chance is 0.1 and a frozen random hidden layer reaches 0.66; dropout slows the adapters
        // (measured 0.77 against 0.8+ without it in these 3 epochs).
        assertTrue(best > 0.7, "accuracy " + best);
        // Two runs from one seed draw the same masks.
        FineTune.Result again = recipe(mlp).lora(lora).trainable(List.of("fc2")).epochs(3).build().run(runtime);
        assertTrue(initializer(merged, "fc1.weight").contentEquals(initializer(again.model(), "fc1.weight")),
                "the same seed trains the same adapter");
    }

    @Test
    void badLoraSettingsAreRefusedByName() {
        Model mlp = ModelTemplates.mlp(64, new int[] {32}, 10, 3);
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> recipe(mlp).lora(LoraSettings.of(List.of("fc1"), 0)).build());
        assertEquals("LoRA rank must be positive, found 0", rank.getMessage());
        TrainingException scope = assertThrows(TrainingException.class,
                () -> recipe(mlp).lora(LoraSettings.of(List.of("encoder"), 4)).build());
        assertTrue(scope.getMessage().contains("scope 'encoder' matches no MatMul or Gemm weight")
                && scope.getMessage().contains("the model's 2 are: fc1.weight (read by MatMul_0), fc2.weight (read by MatMul_1)"), scope.getMessage());

        Model cnn = ModelTemplates.cnn(1, 8, 8, 10, 3);
        TrainingException convolution = assertThrows(TrainingException.class,
                () -> recipe(cnn).lora(LoraSettings.of(List.of("conv1"), 4)).build());
        assertTrue(convolution.getMessage().contains("scope 'conv1' matches no MatMul or Gemm weight"),
                convolution.getMessage());
    }

    private float[] logits(Model model, RunControl control) {
        float[] features = new float[2 * 64];
        for (int i = 0; i < features.length; i++) {
            features[i] = (i % 17) / 16f;
        }
        Map<String, Tensor> inputs = Map.of(ModelTemplates.INPUT,
                Tensor.ofFloats(ModelTemplates.INPUT, new long[] {2, 64}, features));
        try (CompiledModel compiled = runtime.compile(model)) {
            return compiled.run(inputs, control).get(ModelTemplates.LOGITS).toFloatArray();
        }
    }

    private static Tensor initializer(Model model, String name) {
        return model.graph().initializers().get(name).initializer();
    }
}
