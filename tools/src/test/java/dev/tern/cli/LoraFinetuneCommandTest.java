package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.AdapterFile;
import dev.tern.ir.Model;
import dev.tern.ir.NpyFormat;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern finetune --lora} on the digits data: a 64-32-10 MLP from {@code tern init-model},
 * adapters of rank 4 on its hidden layer with dropout 0.1 on their input, a stratified 20%
 * validation split with seed 1, one ONNX Runtime thread.
 */
class LoraFinetuneCommandTest {
    private static final String DIGITS = Checkout.dataSet("digits.csv").toString();

    @TempDir
    Path temporary;

    private String mlp;
    private Path merged;

    @BeforeEach
    void writeModel() {
        mlp = temporary.resolve("mlp.onnx").toString();
        merged = temporary.resolve("merged.onnx");
        CliRun init = CliRun.of("init-model", "mlp", "--inputs", "64", "--hidden", "32", "--classes", "10", "--seed", "1",
                "--out", mlp);
        assertEquals(0, init.exitCode(), init::toString);
    }

    private CliRun finetune(String... options) {
        List<String> args = new ArrayList<>(List.of("finetune", mlp, "--train", DIGITS, "--split", "0.2",
                "--label-column", "label", "--scale", "16", "--batch", "32", "--seed", "1", "--threads", "1",
                "--out", merged.toString(), "--json"));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    @SuppressWarnings("unchecked")
    void adaptersOnTheHiddenLayerTrainAloneAndTheMergedModelIsTheBaseWithTheAdapter() throws IOException {
        Path adapter = temporary.resolve("digits.onnx_adapter");
        Path base = temporary.resolve("base.onnx");

        CliRun run = finetune("--lora", "4", "--lora-alpha", "8", "--lora-dropout", "0.1", "--lora-targets", "fc1", "--epochs", "4",
                "--lr", "1e-2", "--adapter-out", adapter.toString(), "--base-out", base.toString());

        assertEquals(0, run.exitCode(), run::toString);
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(run.out().trim());
        assertEquals(List.of("MatMul_0.lora_A", "MatMul_0.lora_B"), json.get("trainable"), "only the adapters train");
        assertEquals(64L * 4 + 4 * 32, json.get("trainedParameters"), "A [64, 4] and B [4, 32]");
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) json.get("epochs");
        double first = ((Number) epochs.get(0).get("validationAccuracy")).doubleValue();
        double last = ((Number) epochs.get(epochs.size() - 1).get("validationAccuracy")).doubleValue();
        assertTrue(last > first && last > 0.5, "validation accuracy from " + first + " to " + last);

        Model original = OnnxImporter.read(Path.of(mlp));
        Model tuned = OnnxImporter.read(merged);
        assertFalse(weight(original, "fc1.weight").contentEquals(weight(tuned, "fc1.weight")), "the adapter is merged");
        for (String untouched : List.of("fc1.bias", "fc2.weight", "fc2.bias")) {
            assertTrue(weight(original, untouched).contentEquals(weight(tuned, untouched)), untouched + " changed");
        }
        assertEquals(List.of("MatMul_0.lora_A", "MatMul_0.lora_B"),
                AdapterFile.read(adapter).parameters().stream().map(Tensor::name).toList());

        float[] features = new float[3 * 64];
        for (int i = 0; i < features.length; i++) {
            features[i] = i % 17;
        }
        Path input = temporary.resolve("x.npy");
        NpyFormat.write(Tensor.ofFloats("input", new long[] {3, 64}, features), input);
        float[] fromMerged = logits(merged, input, "merged");
        float[] fromBase = logits(base, input, "base", "--adapter", adapter.toString());
        // Float rounding: W + A B in one weight against x W + (x A) B differs by about 1e-6 of the logits'
        // size (measured 2e-5 on logits near 50).
        float largest = 0;
        for (float logit : fromMerged) {
            largest = Math.max(largest, Math.abs(logit));
        }
        assertArrayEquals(fromMerged, fromBase, 1e-6f * largest);
        assertFalse(java.util.Arrays.equals(logits(Path.of(mlp), input, "original"), fromMerged),
                "the adapter changes the outputs");
    }

    @Test
    void badLoraOptionsAreRefusedByName() {
        assertRefused(finetune("--lora", "0", "--lora-targets", "fc1"), "--lora must be at least 1, found 0");
        assertRefused(finetune("--lora", "4"), "--lora needs the weights to adapt: --lora-targets SCOPE...");
        assertRefused(finetune("--lora-targets", "fc1"), "need --lora RANK");
        assertRefused(finetune("--lora", "4", "--lora-targets", "fc1", "--lora-dropout", "1"),
                "--lora-dropout must lie in [0, 1), found 1.0");
        assertRefused(finetune("--lora", "4", "--lora-targets", "encoder"),
                "LoRA target scope 'encoder' matches no MatMul or Gemm weight",
                "the model's 2 are: fc1.weight (read by MatMul_0), fc2.weight (read by MatMul_1)");
        assertRefused(finetune("--lora", "4", "--lora-targets", "fc1.bias"),
                "LoRA target scope 'fc1.bias' matches no MatMul or Gemm weight");
    }

    private void assertRefused(CliRun run, String... expectedParts) {
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        for (String part : expectedParts) {
            assertTrue(run.err().contains(part), "expected '" + part + "' in: " + run.err());
        }
        assertFalse(Files.exists(merged), "a refused run wrote " + merged);
    }

    private float[] logits(Path model, Path input, String name, String... options) throws IOException {
        Path outputs = temporary.resolve(name);
        List<String> args = new ArrayList<>(List.of("run", model.toString(), "--input", "input=" + input,
                "--output-dir", outputs.toString()));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        return NpyFormat.read(outputs.resolve("logits.npy")).toFloatArray();
    }

    private static Tensor weight(Model model, String name) {
        Value value = model.graph().initializers().get(name);
        return value.initializer();
    }
}
