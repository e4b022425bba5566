package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tern init-model lstm|gru} and {@code tern finetune} on the digits as sequences, one
 * ONNX Runtime thread, a 20% validation split with seed 1: each digit's 8 rows of 8 pixels
 * (/ 16) as float rows, with both recurrent layouts; and its 64 grey levels (0-16) as int64
 * token ids. The written models run in ONNX Runtime itself.
 */
class FinetuneRecurrentTest {
    private static final String DIGITS = Checkout.dataSet("digits.csv").toString();

    private static float[][] pixels;
    private static long[] labels;

    @TempDir
    Path temporary;

    @BeforeAll
    static void readDigits() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(DIGITS));
        pixels = new float[lines.size() - 1][64];
        labels = new long[lines.size() - 1];
        for (int row = 0; row < labels.length; row++) {
            String[] cells = lines.get(row + 1).split(",");
            for (int i = 0; i < 64; i++) {
                pixels[row][i] = Float.parseFloat(cells[i]);
            }
            labels[row] = Long.parseLong(cells[64]);
        }
    }

    @ParameterizedTest
    @CsvSource({"lstm, 0", "lstm, 1", "gru, 0", "gru, 1"})
    void digitRowsAreClassifiedAtTheDonePoint(String kind, int layout) throws OrtException {
        Path model = initModel(kind, "--features", "8", "--length", "8", "--hidden", "64", "--classes", "10",
                "--layout", String.valueOf(layout));
        Path tuned = temporary.resolve("tuned.onnx");

        double accuracy = finetune(model, tuned, "--scale", "16", "--epochs", "15", "--lr", "1e-2");

        assertTrue(accuracy >= 0.97, kind + " layout " + layout + ": best validation accuracy " + accuracy);
        float[] rows = new float[labels.length * 64];
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < 64; j++) {
                rows[i * 64 + j] = pixels[i][j] / 16;
            }
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(rows),
                new long[] {labels.length, 8, 8})) {
            assertTrue(plainOrtAccuracy(tuned, input) >= 0.97, "ONNX Runtime runs the written model as trained");
        }
    }

    @Test
    void greyLevelsAreFedAsInt64TokenIds() throws OrtException {
        Path model = initModel("gru", "--vocab", "17", "--embedding", "8", "--length", "64", "--hidden", "32",
                "--classes", "10", "--layout", "1");
        Path tuned = temporary.resolve("tuned.onnx");

        double accuracy = finetune(model, tuned, "--epochs", "4", "--lr", "1e-2");

        // Four epochs over 64-step sequences of single grey levels: far above chance (10%), short of the row model.
        assertTrue(accuracy >= 0.5, "best validation accuracy " + accuracy);
        long[] ids = new long[labels.length * 64];
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < 64; j++) {
                ids[i * 64 + j] = (long) pixels[i][j];
            }
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), new long[] {labels.length, 64})) {
            assertTrue(plainOrtAccuracy(tuned, input) >= 0.5, "ONNX Runtime runs the written model on token ids");
        }
        CliRun scaled = CliRun.of("finetune", model.toString(), "--train", DIGITS, "--scale", "16",
                "--out", tuned.toString());
        assertEquals(2, scaled.exitCode(), scaled::toString);
        assertTrue(scaled.err().contains("takes int64 token ids, which a scaling or augmentation would change"),
                scaled::toString);
    }

    private Path initModel(String kind, String... sizes) {
        return InitModels.write(temporary, 3, kind, sizes);
    }

    /** Trains with batches of 32 and Adam; the best epoch's validation accuracy. */
    @SuppressWarnings("unchecked")
    private static double finetune(Path model, Path tuned, String... options) {
        List<String> args = new ArrayList<>(List.of("finetune", model.toString(), "--train", DIGITS, "--split", "0.2",
                "--batch", "32", "--optimizer", "adam", "--threads", "1", "--seed", "1", "--out", tuned.toString(),
                "--json"));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) ((Map<String, Object>) MiniJson.parse(
                run.out().trim())).get("epochs");
        return epochs.stream().mapToDouble(e -> (Double) e.get("validationAccuracy")).max().orElseThrow();
    }

    /** The fraction of all the digits the model file classifies right in ONNX Runtime, fed {@code input}. */
    private static double plainOrtAccuracy(Path model, OnnxTensor input) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = environment.createSession(model.toString(), options);
             OrtSession.Result result = session.run(Map.of("input", input))) {
            float[][] logits = (float[][]) result.get(0).getValue();
            int correct = 0;
            for (int i = 0; i < logits.length; i++) {
                int best = 0;
                for (int c = 1; c < logits[i].length; c++) {
                    best = logits[i][c] > logits[i][best] ? c : best;
                }
                correct += best == labels[i] ? 1 : 0;
            }
            return (double) correct / logits.length;
        }
    }
}
