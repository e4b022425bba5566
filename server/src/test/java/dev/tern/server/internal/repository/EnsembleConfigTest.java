package dev.tern.server.internal.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.server.internal.ensemble.EnsemblePlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config.json}'s platform: Triton's ensemble form, read and planned, and what an ONNX model's config accepts. */
class EnsembleConfigTest {
    private static final String TWO_STEPS = """
            {"platform": "ensemble",
             "input": [{"name": "a", "data_type": "TYPE_FP32", "dims": [-1]}],
             "output": [{"name": "c", "data_type": "TYPE_FP32", "dims": [-1]}],
             "ensemble_scheduling": {"step": [
               {"model_name": "second", "input_map": {"x": "b"}, "output_map": {"y": "c"}},
               {"model_name": "first", "model_version": 2, "input_map": {"x": "a"}, "output_map": {"y": "b"}}]}}
            """;

    @TempDir
    Path folder;

    @Test
    void stepsRunAfterTheStepsProducingTheirInputs() throws IOException {
        EnsembleConfig config = EnsembleConfig.readIfEnsemble(write(TWO_STEPS)).orElseThrow();

        List<EnsembleStep> order = EnsemblePlan.order(config);

        assertEquals(List.of("first", "second"), order.stream().map(EnsembleStep::modelName).toList());
        assertEquals("2", order.get(0).versionText());
        assertEquals("", order.get(1).versionText(), "model_version defaults to -1, the newest");
    }

    @Test
    void aTensorProducedTwiceOrAnOutputNeverProducedIsRefused() throws IOException {
        EnsembleConfig twice = EnsembleConfig.readIfEnsemble(write(TWO_STEPS.replace("{\"y\": \"c\"}",
                "{\"y\": \"b\"}"))).orElseThrow();
        IllegalArgumentException produced = assertThrows(IllegalArgumentException.class, () -> EnsemblePlan.order(twice));
        assertTrue(produced.getMessage().contains("'ensemble_scheduling.step[1].output_map' produces ensemble tensor 'b',"
                + " which ensemble_scheduling.step[0] (model 'second') produces too"), produced.getMessage());

        EnsembleConfig unproduced = EnsembleConfig.readIfEnsemble(write(TWO_STEPS.replace("{\"name\": \"c\"",
                "{\"name\": \"d\""))).orElseThrow();
        IllegalArgumentException never = assertThrows(IllegalArgumentException.class,
                () -> EnsemblePlan.order(unproduced));
        assertTrue(never.getMessage().contains("ensemble output 'd' is never produced"), never.getMessage());
    }

    @Test
    void malformedStepsNameTheirField() throws IOException {
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class, () ->
                EnsembleConfig.readIfEnsemble(write(TWO_STEPS.replace("\"model_version\": 2", "\"model_version\": 0"))));
        assertTrue(version.getMessage().contains("'ensemble_scheduling.step[1].model_version' must be -1"),
                version.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () ->
                EnsembleConfig.readIfEnsemble(write(TWO_STEPS.replace("\"input_map\": {\"x\": \"a\"}",
                        "\"input_map\": {\"x\": \"a\"}, \"batching\": true"))));
        assertTrue(unknown.getMessage().contains("unknown field 'ensemble_scheduling.step[1].batching'"),
                unknown.getMessage());
    }

    @Test
    void anOnnxModelAcceptsOnlyTritonsOnnxPlatform() throws IOException {
        assertTrue(EnsembleConfig.readIfEnsemble(write("{\"platform\": \"onnxruntime_onnx\"}")).isEmpty());
        assertEquals(1, ModelConfig.read(write("{\"platform\": \"onnxruntime_onnx\"}")).instanceCount());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.read(write("{\"platform\": \"tensorflow_savedmodel\"}")));
        assertTrue(other.getMessage().contains("'platform' must be \"onnxruntime_onnx\" or \"ensemble\""),
                other.getMessage());
    }

    private Path write(String json) throws IOException {
        return Files.writeString(folder.resolve("config.json"), json);
    }
}
