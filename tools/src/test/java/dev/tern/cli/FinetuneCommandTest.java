package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern init-model} and {@code tern finetune} on the digits data in {@code data/} (1,797 8x8
 * images): every run holds out a stratified 20% for validation with {@code --split 0.2
 * --seed 1} and uses one ONNX Runtime thread, so results repeat bit for bit. How well the
 * templates learn is {@link ReadmeFinetuneExampleTest}'s part.
 */
class FinetuneCommandTest {
    private static final String DIGITS = Checkout.dataSet("digits.csv").toString();

    @TempDir
    Path temporary;

    private String initModel(String kind, String... sizes) {
        return InitModels.write(temporary, 1, kind, sizes).toString();
    }

    private static CliRun finetune(String model, String out, String... options) {
        List<String> args = new ArrayList<>(List.of("finetune", model, "--train", DIGITS, "--split", "0.2",
                "--label-column", "label", "--scale", "16", "--batch", "32", "--seed", "1", "--threads", "1",
                "--out", out, "--json"));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> epochs(CliRun run) {
        assertEquals(0, run.exitCode(), run::toString);
        return (List<Map<String, Object>>) ((Map<String, Object>) MiniJson.parse(run.out().trim())).get("epochs");
    }

    @Test
    void trainingOnlyTheLastLayerKeepsFrozenWeightsBitIdenticalAndTheInterface() throws Exception {
        String mlp = initModel("mlp", "--inputs", "64", "--hidden", "128", "--classes", "10");
        Path tuned = temporary.resolve("last-layer.onnx");

        CliRun run = finetune(mlp, tuned.toString(), "--epochs", "2", "--freeze", "fc1", "--lr", "1e-2");

        assertEquals(0, run.exitCode(), run::toString);
        Model before = OnnxImporter.read(Path.of(mlp));
        Model after = OnnxImporter.read(tuned);
        for (String frozen : List.of("fc1.weight", "fc1.bias")) {
            assertTrue(weight(before, frozen).initializer().contentEquals(weight(after, frozen).initializer()),
                    frozen + " changed");
        }
        assertFalse(weight(before, "fc2.weight").initializer().contentEquals(weight(after, "fc2.weight").initializer()),
                "fc2.weight did not train");
        assertSameInterfaceInOrt(Path.of(mlp), tuned);
    }

    @Test
    void resumingFromACheckpointEndsWhereAnUninterruptedRunEnds() throws IOException {
        String mlp = initModel("mlp", "--inputs", "64", "--hidden", "32", "--classes", "10");
        Path uninterrupted = temporary.resolve("uninterrupted.onnx");
        Path resumed = temporary.resolve("resumed.onnx");
        String checkpoints = temporary.resolve("checkpoints").toString();
        // A constant rate, so a run of 2 epochs follows the same schedule as the first half of a run of 4.
        epochs(finetune(mlp, uninterrupted.toString(), "--epochs", "4", "--schedule", "constant"));
        epochs(finetune(mlp, temporary.resolve("first-half.onnx").toString(), "--epochs", "2", "--schedule", "constant",
                "--checkpoint", checkpoints));

        List<Map<String, Object>> all = epochs(finetune(mlp, resumed.toString(), "--epochs", "4",
                "--schedule", "constant", "--checkpoint", checkpoints, "--resume"));

        assertEquals(4, all.size());
        assertTrue(Files.exists(Path.of(checkpoints, "epoch-0004.ckpt")));
        assertFalse(Files.exists(Path.of(checkpoints, "epoch-0002.ckpt")), "older checkpoints are removed");
        Model expected = OnnxImporter.read(uninterrupted);
        Model actual = OnnxImporter.read(resumed);
        for (String name : List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")) {
            assertTrue(weight(expected, name).initializer().contentEquals(weight(actual, name).initializer()),
                    name + " differs from the uninterrupted run's");
        }
    }

    private static Value weight(Model model, String name) {
        return model.graph().initializers().get(name);
    }

    /** Loads both models in ONNX Runtime itself, compares their inputs and outputs, and runs the tuned one. */
    private static void assertSameInterfaceInOrt(Path original, Path tuned) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession before = environment.createSession(original.toString(), options);
             OrtSession after = environment.createSession(tuned.toString(), options)) {
            assertEquals(describe(before.getInputInfo()), describe(after.getInputInfo()));
            assertEquals(describe(before.getOutputInfo()), describe(after.getOutputInfo()));
            float[] zeros = new float[2 * 64];
            try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(zeros), new long[] {2, 64});
                 OrtSession.Result result = after.run(Map.of("input", input))) {
                float[][] logits = (float[][]) result.get("logits").orElseThrow().getValue();
                assertEquals(2, logits.length);
                assertEquals(10, logits[0].length);
            }
        }
    }

    private static String describe(Map<String, NodeInfo> values) {
        StringBuilder text = new StringBuilder();
        values.forEach((name, info) -> text.append(name).append(": ").append(info.getInfo()).append('\n'));
        return text.toString();
    }
}
