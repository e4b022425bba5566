package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.ir.Model;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern init-model autoencoder|vae|gan|lstm|gru}: each writes a model ONNX Runtime opens, with
 * the outputs and the task ({@code tern.task} metadata) that {@code tern finetune} reads.
 */
class InitModelFamiliesTest {
    @TempDir
    Path temporary;

    private Model initModel(String kind, String... sizes) throws OrtException, IOException {
        Path model = temporary.resolve(kind + ".onnx");
        List<String> args = new ArrayList<>(List.of("init-model", kind));
        args.addAll(List.of(sizes));
        args.addAll(List.of("--out", model.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("wrote " + model), run::toString);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = OrtEnvironment.getEnvironment().createSession(model.toString(), options)) {
            assertEquals("input", session.getInputNames().iterator().next(), "ONNX Runtime opens " + kind);
        }
        return OnnxImporter.read(model);
    }

    @Test
    void autoencoderGivesItsReconstructionAndItsCode() throws Exception {
        Model model = initModel("autoencoder", "--inputs", "64", "--hidden", "32", "--latent", "8");

        assertEquals(List.of("reconstruction tensor(float)[batch,64]", "code tensor(float)[batch,8]"), outputs(model));
        assertEquals("reconstruct", model.metadataProps().get("tern.task"));
    }

    @Test
    void vaeGivesLogitsMeanAndLogVariance() throws Exception {
        Model model = initModel("vae", "--inputs", "64", "--hidden", "32", "--latent", "8");

        assertEquals(List.of("logits tensor(float)[batch,64]", "mu tensor(float)[batch,8]",
                "logvar tensor(float)[batch,8]"), outputs(model));
        assertEquals("vae", model.metadataProps().get("tern.task"));
    }

    @Test
    void ganHoldsGeneratorAndDiscriminatorWithScopedWeights() throws Exception {
        Model model = initModel("gan", "--outputs", "64", "--latent", "16", "--hidden", "96");

        assertEquals(List.of("input tensor(float)[batch,64]", "z tensor(float)[batch,16]"),
                model.graph().inputs().stream().map(value -> value.name() + " " + value.type()).toList());
        assertEquals(List.of("generated tensor(float)[batch,64]", "real_score tensor(float)[batch,1]",
                "fake_score tensor(float)[batch,1]"), outputs(model));
        assertEquals(List.of("generator/fc1.weight", "generator/fc1.bias", "generator/fc2.weight",
                "generator/fc2.bias", "discriminator/fc1.weight", "discriminator/fc1.bias",
                "discriminator/fc2.weight", "discriminator/fc2.bias"), List.copyOf(model.graph().initializers().keySet()));
        assertEquals(List.of(16L, 96L), dims(model, "generator/fc1.weight"));
        assertEquals(List.of(64L, 96L), dims(model, "discriminator/fc1.weight"));
        assertEquals("gan", model.metadataProps().get("tern.task"));
    }

    @Test
    void lstmAndGruClassifyTokenIds() throws Exception {
        for (String kind : List.of("lstm", "gru")) {
            Model model = initModel(kind, "--vocab", "20", "--embedding", "8", "--hidden", "16", "--length", "12",
                    "--classes", "3");

            assertEquals("tensor(int64)[batch,12]", model.graph().inputs().get(0).type().toString());
            assertEquals(List.of("logits tensor(float)[batch,3]"), outputs(model));
            assertEquals("classify", model.metadataProps().get("tern.task"));
        }
    }

    @Test
    void sizesATemplateRefusesAreUsageErrors() {
        CliRun run = CliRun.of("init-model", "vae", "--inputs", "64", "--latent", "0",
                "--out", temporary.resolve("bad.onnx").toString());

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("latent must be >= 1, found 0"), run::toString);
    }

    private static List<Long> dims(Model model, String weight) {
        return Arrays.stream(model.graph().initializers().get(weight).initializer().dims()).boxed().toList();
    }

    private static List<String> outputs(Model model) {
        return model.graph().outputs().stream().map(v -> v.name() + " " + v.type()).toList();
    }
}
