package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern finetune} on the autoencoder and VAE templates, the task read from the models'
 * metadata, on digits (pixels / 16, a 20% validation split with seed 1, one ONNX Runtime
 * thread): the done points, and the encoder and decoder written beside the model,
 * run by ONNX Runtime itself.
 */
class FinetuneFamiliesTest {
    private static final String DIGITS = Checkout.dataSet("digits.csv").toString();

    @TempDir
    Path temporary;

    private String initModel(String kind, String... sizes) {
        return InitModels.write(temporary, 7, kind, sizes).toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> finetune(String model, String... options) {
        List<String> args = new ArrayList<>(List.of("finetune", model, "--train", DIGITS, "--split", "0.2",
                "--label-column", "label", "--scale", "16", "--batch", "32", "--seed", "1", "--threads", "1",
                "--optimizer", "adam", "--json"));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        return (List<Map<String, Object>>) ((Map<String, Object>) MiniJson.parse(run.out().trim())).get("epochs");
    }

    @Test
    void autoencoderReconstructsDigitsWithinTheDonePointAndItsEncoderGivesCodes() throws OrtException {
        String autoencoder = initModel("autoencoder", "--inputs", "64", "--hidden", "32", "--latent", "8");
        Path encoder = temporary.resolve("encoder.onnx");

        List<Map<String, Object>> epochs = finetune(autoencoder, "--epochs", "25", "--lr", "1e-2",
                "--schedule", "cosine", "--out", temporary.resolve("tuned.onnx").toString(),
                "--encoder-out", encoder.toString());

        double bestMse = epochs.stream().mapToDouble(e -> Math.pow((Double) e.get("validationRmse"), 2)).min().orElseThrow();
        assertTrue(bestMse <= 0.02, "validation MSE on pixels / 16: " + bestMse);
        Map<String, float[][]> codes = run(encoder, "input", new float[3][64]);
        assertEquals(List.of("code"), List.copyOf(codes.keySet()));
        assertEquals(8, codes.get("code")[0].length);
    }

    @Test
    void vaeLearnsBelow26NatsPerExampleAndItsDecoderSamplesPixels() throws OrtException {
        String vae = initModel("vae", "--inputs", "64", "--hidden", "128", "--latent", "8");
        Path encoder = temporary.resolve("encoder.onnx");
        Path decoder = temporary.resolve("decoder.onnx");

        List<Map<String, Object>> epochs = finetune(vae, "--epochs", "30", "--lr", "3e-3",
                "--out", temporary.resolve("tuned.onnx").toString(),
                "--encoder-out", encoder.toString(), "--decoder-out", decoder.toString());

        double bestLoss = epochs.stream().mapToDouble(e -> (Double) e.get("validationLoss")).min().orElseThrow();
        assertTrue(bestLoss < 26, "validation loss in nats per example: " + bestLoss);
        assertEquals(List.of("mu", "logvar"), List.copyOf(run(encoder, "input", new float[2][64]).keySet()));
        float[][] latent = new float[4][8];
        latent[1][0] = 2;
        latent[2][3] = -2;
        Map<String, float[][]> sampled = run(decoder, "z", latent);
        assertEquals(List.of("reconstruction"), List.copyOf(sampled.keySet()));
        for (float[] image : sampled.get("reconstruction")) {
            assertEquals(64, image.length);
            for (float pixel : image) {
                assertTrue(pixel > 0 && pixel < 1, "a Sigmoid ends the sampler: " + pixel);
            }
        }
        assertFalse(Arrays.equals(sampled.get("reconstruction")[0], sampled.get("reconstruction")[1]),
                "another latent point, another image");
    }

    @Test
    void partsATaskCannotWriteAreUsageErrors() {
        String mlp = initModel("mlp", "--inputs", "64", "--hidden", "16", "--classes", "10");
        String autoencoder = initModel("autoencoder", "--inputs", "64", "--latent", "8");
        String out = temporary.resolve("tuned.onnx").toString();

        CliRun encoderOfAClassifier = CliRun.of("finetune", mlp, "--train", DIGITS, "--out", out,
                "--encoder-out", temporary.resolve("encoder.onnx").toString());
        CliRun decoderOfAnAutoencoder = CliRun.of("finetune", autoencoder, "--train", DIGITS, "--out", out,
                "--decoder-out", temporary.resolve("decoder.onnx").toString());
        CliRun unknownTask = CliRun.of("finetune", mlp, "--train", DIGITS, "--out", out, "--task", "cluster");

        assertEquals(2, encoderOfAClassifier.exitCode(), encoderOfAClassifier::toString);
        assertTrue(encoderOfAClassifier.err().contains("need --task reconstruct or vae"), encoderOfAClassifier::toString);
        assertEquals(2, decoderOfAnAutoencoder.exitCode(), decoderOfAnAutoencoder::toString);
        assertTrue(decoderOfAnAutoencoder.err().contains("needs task vae, found reconstruct"),
                decoderOfAnAutoencoder::toString);
        assertEquals(2, unknownTask.exitCode(), unknownTask::toString);
        assertTrue(unknownTask.err().contains("unknown task 'cluster'"), unknownTask::toString);
    }

    /** Every output of the model file, fed {@code rows} as its input {@code input}, in ONNX Runtime itself. */
    private static Map<String, float[][]> run(Path model, String input, float[][] rows) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = environment.createSession(model.toString(), options);
             OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(flat),
                     new long[] {rows.length, rows[0].length});
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            Map<String, float[][]> outputs = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> entry : result) {
                outputs.put(entry.getKey(), (float[][]) entry.getValue().getValue());
            }
            return outputs;
        }
    }
}
