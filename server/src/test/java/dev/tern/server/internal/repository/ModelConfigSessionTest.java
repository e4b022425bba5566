package dev.tern.server.internal.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.Provider;
import dev.tern.exec.SessionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session settings of {@code config.json} land in the {@link SessionConfig} every instance is compiled with. */
class ModelConfigSessionTest {
    @TempDir
    Path folder;

    @Test
    void threadsAndPlacementBecomeTheSessionConfig() throws IOException {
        Path file = Files.writeString(folder.resolve("config.json"), """
                {"intra_op_threads": 2, "inter_op_threads": 3, "provider": "cuda", "device_id": 1,
                 "cpu_fallback": true}""");

        SessionConfig session = ModelConfig.read(file).sessionConfig();

        assertEquals(2, session.intraOpThreads());
        assertEquals(3, session.interOpThreads());
        assertEquals(Provider.CUDA, session.provider());
        assertEquals(1, session.deviceId());
        assertTrue(session.cpuFallback());
    }

    @Test
    void aModelWithoutConfigRunsOnOnnxRuntimesDefaults() throws IOException {
        ModelConfig config = ModelConfig.read(folder.resolve("config.json"));

        assertSame(SessionConfig.defaults(), config.sessionConfig());
        assertEquals(1, config.instanceCount());
    }

    @Test
    void intraOpSpinningIsOnUnlessTheConfigTurnsItOff() throws IOException {
        Path off = Files.writeString(folder.resolve("config.json"), """
                {"intra_op_threads": 1, "intra_op_spinning": false}""");
        assertFalse(ModelConfig.read(off).sessionConfig().intraOpSpinning());
        Path unset = Files.writeString(folder.resolve("config.json"), """
                {"intra_op_threads": 1}""");
        assertTrue(ModelConfig.read(unset).sessionConfig().intraOpSpinning());

        Path wrong = Files.writeString(folder.resolve("config.json"), """
                {"intra_op_spinning": "no"}""");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ModelConfig.read(wrong));
        assertTrue(refused.getMessage().contains("'intra_op_spinning' must be true or false, found \"no\""),
                refused.getMessage());
    }

    @Test
    void instancesWhoseThreadsOutnumberTheCoresDoNotSpinUnlessTheConfigSaysSo() throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        Path crowded = Files.writeString(folder.resolve("config.json"),
                "{\"instance_count\": 2, \"intra_op_threads\": " + cores + "}");
        assertFalse(ModelConfig.read(crowded).sessionConfig().intraOpSpinning());
        Path allCoresEach = Files.writeString(folder.resolve("config.json"), "{\"instance_count\": 2}");
        assertFalse(ModelConfig.read(allCoresEach).sessionConfig().intraOpSpinning(),
                "0 threads is one per core, for each instance");
        Path asked = Files.writeString(folder.resolve("config.json"),
                "{\"instance_count\": 2, \"intra_op_threads\": " + cores + ", \"intra_op_spinning\": true}");
        assertTrue(ModelConfig.read(asked).sessionConfig().intraOpSpinning());
    }
}
