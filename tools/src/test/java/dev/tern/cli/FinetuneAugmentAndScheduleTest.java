package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Model;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern finetune} with {@code --augment} and the newer {@code --schedule}s on the digits
 * (20% stratified validation, seed 1, one ONNX Runtime thread, so runs repeat bit for bit).
 */
class FinetuneAugmentAndScheduleTest {
    private static final String DIGITS = Checkout.dataSet("digits.csv").toString();
    private static final List<String> MLP_WEIGHTS = List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");

    @TempDir
    Path temporary;

    private String initModel(String... args) {
        String model = temporary.resolve(args[0] + ".onnx").toString();
        List<String> command = new ArrayList<>(List.of("init-model"));
        command.addAll(List.of(args));
        command.addAll(List.of("--seed", "1", "--out", model));
        assertEquals(0, CliRun.of(command.toArray(String[]::new)).exitCode());
        return model;
    }

    private static CliRun finetune(String model, Path out, String... options) {
        List<String> args = new ArrayList<>(List.of("finetune", model, "--train", DIGITS, "--split", "0.2",
                "--label-column", "label", "--scale", "16", "--batch", "32", "--seed", "1", "--threads", "1",
                "--lr", "3e-3", "--out", out.toString(), "--json"));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> epochs(CliRun run) {
        assertEquals(0, run.exitCode(), run::toString);
        return (List<Map<String, Object>>) ((Map<String, Object>) MiniJson.parse(run.out().trim())).get("epochs");
    }

    @Test
    void aCnnTrainsWithRotationScalingErasingAndMixup() {
        String cnn = initModel("cnn", "--channels", "1", "--height", "8", "--width", "8", "--classes", "10");

        List<Map<String, Object>> epochs = epochs(finetune(cnn, temporary.resolve("augmented.onnx"), "--epochs", "3",
                "--augment", "rotate=15,scale=0.1,erase=0.25,mixup=0.2"));

        assertEquals(3, epochs.size());
        double accuracy = ((Number) epochs.get(2).get("validationAccuracy")).doubleValue();
        assertTrue(accuracy > 0.85, "validation accuracy after 3 augmented epochs: " + accuracy);
        assertTrue(Files.exists(temporary.resolve("augmented.onnx")));
    }

    @Test
    void everyStepScheduleTrains() {
        String mlp = initModel("mlp", "--inputs", "64", "--hidden", "32", "--classes", "10");
        for (String schedule : List.of("exponential:gamma=0.5", "linear:end=1e-4", "one-cycle:warmup=0.25")) {
            List<Map<String, Object>> epochs = epochs(finetune(mlp, temporary.resolve("tuned.onnx"), "--epochs", "2",
                    "--schedule", schedule));
            double accuracy = ((Number) epochs.get(1).get("validationAccuracy")).doubleValue();
            // Chance is 10%; two epochs of this small MLP reach about 80%.
            assertTrue(accuracy > 0.7, schedule + ": validation accuracy " + accuracy);
        }
    }

    /**
     * Reduce-on-plateau demanding a tenfold drop of the validation loss every epoch, so it does cut the
     * rate: a run resumed after epoch 2 must end with the uninterrupted run's weights, which it
     * can only do with the rate and counters the checkpoint kept.
     */
    @Test
    void plateauResumedFromACheckpointEndsWhereAnUninterruptedRunEnds() throws IOException {
        String mlp = initModel("mlp", "--inputs", "64", "--hidden", "32", "--classes", "10");
        String[] plateau = {"--schedule", "plateau:factor=0.5,patience=0,threshold=0.9"};
        Path uninterrupted = temporary.resolve("uninterrupted.onnx");
        Path resumed = temporary.resolve("resumed.onnx");
        Path checkpoints = temporary.resolve("checkpoints");
        epochs(finetune(mlp, uninterrupted, concat(plateau, "--epochs", "4")));
        epochs(finetune(mlp, temporary.resolve("first-half.onnx"),
                concat(plateau, "--epochs", "2", "--checkpoint", checkpoints.toString())));
        double rateAfterTwoEpochs = Double.parseDouble(progress(checkpoints.resolve("epoch-0002.progress"))
                .getProperty("schedule.rate"));

        epochs(finetune(mlp, resumed, concat(plateau, "--epochs", "4", "--checkpoint", checkpoints.toString(), "--resume")));

        assertTrue(rateAfterTwoEpochs < 3e-3, "no reduction in the first two epochs: rate " + rateAfterTwoEpochs);
        Model expected = OnnxImporter.read(uninterrupted);
        Model actual = OnnxImporter.read(resumed);
        for (String name : MLP_WEIGHTS) {
            assertTrue(expected.graph().initializers().get(name).initializer()
                    .contentEquals(actual.graph().initializers().get(name).initializer()), name + " differs");
        }
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static Properties progress(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }
}
