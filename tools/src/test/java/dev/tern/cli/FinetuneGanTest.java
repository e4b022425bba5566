package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GAN's done point through the command line, every seed fixed and one ONNX Runtime thread:
 * {@code tern init-model gan} (16-128-64 against 64-128-1), {@code tern finetune --task gan} on
 * the digits (pixels / 16, 160 epochs of batches of 32, Adam at 2e-3 with a cosine schedule),
 * then an independent judge, Tern's CNN template trained here by {@code tern finetune}, classifies
 * 1,000 samples of the written generator: at least 70% in some class with probability 0.9 or
 * more, and at least 3% of the samples confidently in each class.
 */
class FinetuneGanTest {
    private static final String DIGITS = Checkout.dataSet("digits.csv").toString();
    private static final int EPOCHS = 160;
    private static final int LATENT = 16;
    private static final int SAMPLES = 1000;
    private static final int PIXELS = 64;
    private static final int CLASSES = 10;
    private static final double CONFIDENCE = 0.9;

    @TempDir
    Path temporary;

    @Test
    void generatedDigitsAreConfidentlyClassifiedAndCoverEveryClass() throws Exception {
        Path gan = initModel("gan", "--outputs", "64", "--latent", "16", "--hidden", "128");
        Path generator = temporary.resolve("generator.onnx");
        Path discriminator = temporary.resolve("discriminator.onnx");
        Path report = temporary.resolve("report");

        CliRun run = CliRun.of("finetune", gan.toString(), "--train", DIGITS, "--scale", "16",
                "--epochs", String.valueOf(EPOCHS), "--batch", "32", "--optimizer", "adam", "--lr", "2e-3",
                "--schedule", "cosine", "--threads", "1", "--seed", "5", "--out", generator.toString(),
                "--discriminator-out", discriminator.toString(), "--report", report.toString(), "--json");

        assertEquals(0, run.exitCode(), run::toString);
        assertEpochsReportBothLosses(run);
        String chart = Files.readString(report.resolve("training.svg"));
        assertTrue(chart.contains("data-name=\"train discriminator\"") && chart.contains("data-name=\"train generator\""),
                "the chart has a curve per network");
        float[] samples = generate(generator);
        float brightest = max(samples);
        assertTrue(brightest > 8 && brightest <= 16, "the generator gives pixels in the data's scale, 0 to 16: " + brightest);
        float[][] scores = discriminate(discriminator, samples);
        assertEquals(SAMPLES, scores.length);
        assertEquals(1, scores[0].length, "one logit per sample");

        Judgement judgement = Judgement.of(classify(trainClassifier(), samples));
        assertTrue(judgement.confident() >= 0.7 * SAMPLES, judgement.toString());
        assertTrue(Arrays.stream(judgement.perClass()).allMatch(count -> count >= 0.03 * SAMPLES), judgement.toString());
    }

    @Test
    void optionsAGanHasNoUseForAndModelsThatAreNoGanAreRefused() {
        Path gan = initModel("gan", "--outputs", "64", "--latent", "4", "--hidden", "8");
        Path mlp = initModel("mlp", "--inputs", "64", "--hidden", "8", "--classes", "10");
        String out = temporary.resolve("generator.onnx").toString();

        CliRun split = CliRun.of("finetune", gan.toString(), "--train", DIGITS, "--out", out, "--split", "0.2",
                "--loss", "mse", "--schedule", "plateau");
        CliRun standardized = CliRun.of("finetune", gan.toString(), "--train", DIGITS, "--out", out, "--standardize");
        CliRun classifier = CliRun.of("finetune", mlp.toString(), "--train", DIGITS, "--out", out, "--task", "gan");
        CliRun discriminatorOfAClassifier = CliRun.of("finetune", mlp.toString(), "--train", DIGITS, "--out", out,
                "--discriminator-out", temporary.resolve("d.onnx").toString());

        assertUsageError(split, "--validation/--split, --loss, --schedule plateau do not apply");
        assertUsageError(standardized, "not --standardize");
        assertUsageError(classifier, "is no GAN: expected inputs [input, z], found [input]");
        assertUsageError(discriminatorOfAClassifier, "--discriminator-out needs --task gan");
    }

    private static void assertUsageError(CliRun run, String message) {
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains(message), run::toString);
    }

    @SuppressWarnings("unchecked")
    private static void assertEpochsReportBothLosses(CliRun run) {
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(run.out().trim());
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) json.get("epochs");
        assertEquals(EPOCHS, epochs.size());
        for (Map<String, Object> epoch : epochs) {
            double discriminator = (Double) epoch.get("discriminatorLoss");
            double generator = (Double) epoch.get("generatorLoss");
            assertTrue(discriminator > 0 && generator > 0, epoch::toString);
        }
        assertEquals(4, ((List<?>) json.get("generatorWeights")).size());
    }

    private Path initModel(String kind, String... sizes) {
        return InitModels.write(temporary, 3, kind, sizes);
    }

    /**
     * Tern's CNN template trained by {@code tern finetune} on 80% of the digits (pixels / 16, 12
     * epochs), checked to classify the other 20% at 97% or better.
     */
    @SuppressWarnings("unchecked")
    private Path trainClassifier() {
        Path cnn = initModel("cnn", "--channels", "1", "--height", "8", "--width", "8", "--classes", "10");
        Path tuned = temporary.resolve("classifier.onnx");
        CliRun run = CliRun.of("finetune", cnn.toString(), "--train", DIGITS, "--feature-shape", "1x8x8",
                "--scale", "16", "--split", "0.2", "--epochs", "12", "--batch", "32", "--optimizer", "adam",
                "--lr", "3e-3", "--threads", "1", "--seed", "1", "--out", tuned.toString(), "--json");
        assertEquals(0, run.exitCode(), run::toString);
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) ((Map<String, Object>) MiniJson.parse(
                run.out().trim())).get("epochs");
        double accuracy = epochs.stream().mapToDouble(e -> (Double) e.get("validationAccuracy")).max().orElseThrow();
        assertTrue(accuracy >= 0.97, "the judge's validation accuracy: " + accuracy);
        return tuned;
    }

    /** {@link #SAMPLES} samples of the generator file in ONNX Runtime, from noise of seed 99. */
    private static float[] generate(Path generator) throws OrtException {
        Random random = new Random(99);
        float[] noise = new float[SAMPLES * LATENT];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        return flatten(runFirstOutput(generator, "z", noise, new long[] {SAMPLES, LATENT}));
    }

    private static float[][] discriminate(Path discriminator, float[] samples) throws OrtException {
        return runFirstOutput(discriminator, "input", samples, new long[] {SAMPLES, PIXELS});
    }

    /** The judge's logits for the samples, divided by 16 as it was trained, as 1x8x8 images. */
    private static float[][] classify(Path classifier, float[] samples) throws OrtException {
        float[] scaled = new float[samples.length];
        for (int i = 0; i < samples.length; i++) {
            scaled[i] = samples[i] / 16;
        }
        return runFirstOutput(classifier, "input", scaled, new long[] {SAMPLES, 1, 8, 8});
    }

    private static float[][] runFirstOutput(Path model, String input, float[] values, long[] shape) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = environment.createSession(model.toString(), options);
             OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(values), shape);
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return flat;
    }

    private static float max(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (float value : values) {
            max = Math.max(max, value);
        }
        return max;
    }

    /**
     * A classifier's verdict on samples: how many it puts in some class with a softmax
     * probability of at least {@link #CONFIDENCE}, and how many of those fall in each class.
     */
    private record Judgement(int confident, int[] perClass) {
        static Judgement of(float[][] logits) {
            int[] perClass = new int[CLASSES];
            int confident = 0;
            for (float[] row : logits) {
                int best = 0;
                for (int c = 1; c < row.length; c++) {
                    best = row[c] > row[best] ? c : best;
                }
                double sum = 0;
                for (float logit : row) {
                    sum += Math.exp(logit - row[best]);
                }
                if (1 / sum >= CONFIDENCE) {
                    confident++;
                    perClass[best]++;
                }
            }
            return new Judgement(confident, perClass);
        }

        @Override
        public String toString() {
            return confident + " confident, per class " + Arrays.toString(perClass);
        }
    }
}
