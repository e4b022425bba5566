package dev.tern.server.internal.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tern.exec.ExecException;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.server.ModelControl;
import dev.tern.server.internal.IdentityModel;
import dev.tern.server.internal.ServerMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading when compiling a model fails: versions 1 and 2 of an identity model, two instances
 * each, compiled on a real runtime by a compiler that fails at the call a test chooses.
 */
class ModelRepositoryTest {
    @TempDir
    Path repository;
    private Runtime runtime;

    @BeforeEach
    void setUp() throws IOException {
        runtime = Runtime.create();
        for (String version : List.of("1", "2")) {
            IdentityModel.write(Files.createDirectories(repository.resolve("m").resolve(version)).resolve("model.onnx"));
        }
        Files.writeString(repository.resolve("m").resolve("config.json"), "{\"instance_count\": 2}");
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    @Test
    void aFailureWithoutAMessageIsReportedByItsTypeAndTheOtherVersionServes() {
        // Compiles 1 and 2 are version 1's instances; the 4th is version 2's second.
        try (ModelRepository models = repositoryFailingAt(4, () -> new ExecException(null))) {
            models.loadAll();

            assertEquals(List.of(new ModelRepository.IndexEntry("m", "1", "READY", ""),
                    new ModelRepository.IndexEntry("m", "2", "UNAVAILABLE", ExecException.class.getName())),
                    models.index());
            assertEquals(2, runtime.openModels(), "only version 1's instances may stay open");
        }
        assertEquals(0, runtime.openModels());
    }

    @Test
    void aProgrammingErrorSurfacesAndLeavesNothingCompiledOpen() {
        NullPointerException bug = new NullPointerException();
        try (ModelRepository models = repositoryFailingAt(4, () -> bug)) {
            assertSame(bug, assertThrows(NullPointerException.class, models::loadAll));

            assertEquals(0, runtime.openModels());
            assertEquals(List.of(new ModelRepository.IndexEntry("m", "", "UNAVAILABLE", "not loaded")), models.index());
        }
    }

    @Test
    void aProgrammingErrorInAReloadKeepsTheLoadedVersionsServing() {
        NullPointerException bug = new NullPointerException();
        try (ModelRepository models = repositoryFailingAt(6, () -> bug)) {
            models.loadAll();
            ModelVersion serving = models.find("m", "");

            assertSame(bug, assertThrows(NullPointerException.class, () -> models.load("m")));

            assertSame(serving, models.find("m", ""));
            assertEquals(4, runtime.openModels(), "only the serving versions' instances may stay open");
        }
        assertEquals(0, runtime.openModels());
    }

    /** A repository over the test's folder whose {@code failingCall}-th compile (from 1) throws what {@code failure} makes. */
    private ModelRepository repositoryFailingAt(int failingCall, Supplier<RuntimeException> failure) {
        AtomicInteger calls = new AtomicInteger();
        ModelCompiler compiler = (Path file, SessionConfig config) -> {
            if (calls.incrementAndGet() == failingCall) {
                throw failure.get();
            }
            return runtime.open(file, config);
        };
        return new ModelRepository(repository, compiler, runtime::loadAdapter, ModelControl.EXPLICIT, new ServerMetrics());
    }
}
