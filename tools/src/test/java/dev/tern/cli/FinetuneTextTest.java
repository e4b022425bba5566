package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxImporter;
import dev.tern.train.models.ClassNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern finetune --text-column}: the pretrained all-MiniLM-L6-v2 the build unpacks, with
 * its tokenizer, on the project's 160-sentence topic set (train-ext's test resources).
 */
class FinetuneTextTest {
    private static final String TOPICS = Path.of("..", "train-ext", "src", "test", "resources", "topics.tsv").toString();

    @TempDir
    Path temporary;

    private static String tokenizer() {
        return TestModels.minilmFp32().resolveSibling("all-minilm-l6-v2-tokenizer.json").toString();
    }

    private static CliRun finetune(Path out, String... options) {
        List<String> args = new ArrayList<>(List.of("finetune", TestModels.minilmFp32().toString(), "--train", TOPICS,
                "--text-column", "text", "--label-column", "label", "--tokenizer", tokenizer(), "--out", out.toString()));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLastEncoderLayerAndANewHeadLearnTopics() throws IOException {
        Path tuned = temporary.resolve("topics.onnx");

        CliRun run = finetune(tuned, "--split", "0.25", "--seed", "3", "--trainable", "encoder.layer.5",
                "--max-tokens", "32", "--epochs", "2", "--batch", "8", "--lr", "1e-3", "--schedule", "warmup-cosine",
                "--threads", "1", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        Map<String, Object> summary = (Map<String, Object>) MiniJson.parse(run.out().trim());
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) summary.get("epochs");
        // A head that has learned nothing scores about ln 4 = 1.39, whatever the encoder.
        double last = (Double) epochs.get(1).get("validationLoss");
        assertTrue(last < 0.5 * Math.log(4), "validation loss after 2 epochs: " + last);
        assertTrue((Double) epochs.get(1).get("validationAccuracy") >= 0.9, run::toString);
        // The new head, and the last layer's weights whether named after it or read by its nodes.
        List<String> trained = (List<String>) summary.get("trainable");
        assertTrue(trained.containsAll(List.of("classifier.weight", "classifier.bias")), trained::toString);
        assertTrue(trained.stream().anyMatch(name -> name.startsWith("onnx::MatMul_")), trained::toString);
        assertTrue(trained.stream().noneMatch(name -> name.startsWith("encoder.layer.4")), trained::toString);

        Model classifier = OnnxImporter.read(tuned);
        assertEquals(Optional.of(List.of("computing", "cooking", "sports", "weather")), ClassNames.read(classifier));
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"),
                classifier.graph().inputs().stream().map(Value::name).toList());
        assertEquals("tensor(float)[batch_size,4]", classifier.graph().outputs().get(0).type().toString());
    }

    @Test
    void textDataNeedsATokenizer() {
        CliRun run = CliRun.of("finetune", TestModels.minilmFp32().toString(), "--train", TOPICS, "--text-column", "text",
                "--out", temporary.resolve("x.onnx").toString());
        assertUsageError(run, "--tokenizer FILE");
    }

    @Test
    void numericOptionsDoNotApplyToText() {
        assertUsageError(finetune(temporary.resolve("x.onnx"), "--scale", "16"), "--scale");
        assertUsageError(finetune(temporary.resolve("x.onnx"), "--standardize"), "--standardize");
        assertUsageError(finetune(temporary.resolve("x.onnx"), "--skip-lines", "1"), "--skip-lines");
    }

    @Test
    void anUnknownTextColumnIsNamed() {
        CliRun run = CliRun.of("finetune", TestModels.minilmFp32().toString(), "--train", TOPICS, "--text-column",
                "sentence", "--tokenizer", tokenizer(), "--out", temporary.resolve("x.onnx").toString());
        assertUsageError(run, TOPICS, "no text column 'sentence'");
    }

    @Test
    void aScopeWithNoWeightIsNamed() {
        assertUsageError(finetune(temporary.resolve("x.onnx"), "--trainable", "decoder"), "scope 'decoder'");
    }

    private void assertUsageError(CliRun run, String... expectedParts) {
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        for (String part : expectedParts) {
            assertTrue(run.err().contains(part), "expected '" + part + "' in: " + run.err());
        }
        assertFalse(Files.exists(temporary.resolve("x.onnx")));
    }
}
