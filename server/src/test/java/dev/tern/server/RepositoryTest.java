package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.server.internal.repository.ModelRepository;
import dev.tern.server.proto.ModelInferResponse;
import dev.tern.server.proto.ModelReadyRequest;
import dev.tern.server.proto.RepositoryIndexRequest;
import dev.tern.server.proto.RepositoryIndexResponse;
import dev.tern.server.proto.RepositoryModelLoadRequest;
import dev.tern.server.proto.RepositoryModelUnloadRequest;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The model repository through the server: explicit load and unload, reload under traffic, polling, bad folders. */
@ExtendWith(NoLeaks.class)
class RepositoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float[] X = {1, 2, 3, -1, 0, 0.5f};

    @TempDir
    Path repository;

    @Test
    void explicitControlUnloadsAndLoadsOverBothTransports() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        try (TestServer server = TestServer.start(explicit("affine"))) {
            HttpResponse<String> unload = server.post("/v2/repository/models/affine/unload", "");
            assertEquals(200, unload.statusCode(), unload.body());
            StatusRuntimeException gone = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.modelInfer(EndToEndTest.affineRequest().build()));
            assertEquals(Code.NOT_FOUND, gone.getStatus().getCode());
            assertEquals(404, server.get("/v2/models/affine/ready").statusCode());
            JsonNode index = JSON.readTree(server.post("/v2/repository/index", "").body());
            assertEquals("UNAVAILABLE", index.get(0).get("state").asText());

            server.grpc.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("affine").build());
            assertTrue(server.grpc.modelReady(ModelReadyRequest.newBuilder().setName("affine").build()).getReady());
            assertArrayEquals(TestModels.affineExpected(X), EndToEndTest.floats(
                    server.grpc.modelInfer(EndToEndTest.affineRequest().build()).getRawOutputContents(0)));
        }
    }

    @Test
    void explicitControlLoadsOnlyTheModelsNamedAtStart() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        TestModels.write(repository, "strings", 1, TestModels.strings());
        try (TestServer server = TestServer.start(explicit("strings"))) {
            RepositoryIndexResponse index = server.grpc.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
            assertEquals("READY", state(index, "strings", "1"));
            assertEquals("not loaded", reason(index, "affine"));
            StatusRuntimeException notLoaded = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.modelInfer(EndToEndTest.affineRequest().build()));
            assertEquals(Code.NOT_FOUND, notLoaded.getStatus().getCode());

            assertEquals(200, server.post("/v2/repository/models/affine/load", "").statusCode());
            assertArrayEquals(TestModels.affineExpected(X), EndToEndTest.floats(
                    server.grpc.modelInfer(EndToEndTest.affineRequest().build()).getRawOutputContents(0)));
        }
        try (TestServer server = TestServer.start(explicit())) {
            assertTrue(server.grpc.repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(true).build())
                    .getModelsList().isEmpty(), "explicit control without models named loads none");
        }
    }

    @Test
    void explicitControlLoadsEveryModelWhenAllAreNamedAtStart() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        TestModels.write(repository, "strings", 1, TestModels.strings());
        try (TestServer server = TestServer.start(explicit(InferenceServer.ALL_MODELS))) {
            RepositoryIndexResponse index = server.grpc.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
            assertEquals("READY", state(index, "affine", "1"));
            assertEquals("READY", state(index, "strings", "1"));

            assertEquals(200, server.post("/v2/repository/models/affine/unload", "").statusCode(),
                    "the models stay under explicit control");
            assertEquals(404, server.get("/v2/models/affine/ready").statusCode());
        }
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> explicit(InferenceServer.ALL_MODELS, "affine"));
        assertTrue(mixed.getMessage().contains("'*' loads every model and must be the only model named to load at"
                + " start, found [*, affine]"), mixed::getMessage);
    }

    @Test
    void modelsToLoadAtStartMustExistAndNeedExplicitControl() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> TestServer.start(explicit("affine", "nosuch")));
        assertTrue(unknown.getMessage().contains("has no model 'nosuch' to load at start; its models are [affine]"),
                unknown::getMessage);
        IllegalStateException notExplicit = assertThrows(IllegalStateException.class, () -> TestServer.start(
                InferenceServer.builder().modelRepository(repository).loadAtStart(List.of("affine"))));
        assertTrue(notExplicit.getMessage().contains("need model control EXPLICIT"), notExplicit::getMessage);
    }

    @Test
    void everyLoadReloadAndUnloadIsLoggedWithItsCause() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        Path broken = Files.createDirectories(repository.resolve("broken").resolve("1"));
        Files.writeString(broken.resolve("model.onnx"), "not a model");
        try (LogCapture log = new LogCapture(); TestServer server = TestServer.start(explicit("affine"))) {
            server.grpc.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("affine").build());
            server.grpc.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("affine").build());
            assertThrows(StatusRuntimeException.class, () -> server.grpc.repositoryModelLoad(
                    RepositoryModelLoadRequest.newBuilder().setModelName("broken").build()));

            assertLogged(log, "INFO", "model 'affine' loaded (server start): versions [1]");
            assertLogged(log, "INFO", "model 'affine' reloaded (client request): versions [1], compiled [1],"
                    + " retired [1]");
            assertLogged(log, "INFO", "model 'affine' unloaded (client request): versions [1]");
            assertLogged(log, "WARN", "model 'broken' version 1 failed to load (client request): model 'model.onnx':"
                    + " ONNX Runtime could not load");
        }
    }

    @Test
    void loadRefusesUnknownModelsAndNamesThatLeaveTheRepository() throws Exception {
        Files.createDirectories(repository.resolve("empty"));
        try (TestServer server = TestServer.start(explicit())) {
            StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> server.grpc
                    .repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("nosuch").build()));
            assertEquals(Code.NOT_FOUND, unknown.getStatus().getCode());
            for (String name : List.of("..", "../empty", "/etc", "a/b", ".hidden", "")) {
                StatusRuntimeException escape = assertThrows(StatusRuntimeException.class, () -> server.grpc
                        .repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(name).build()));
                assertEquals(Code.INVALID_ARGUMENT, escape.getStatus().getCode(), name);
                assertTrue(escape.getStatus().getDescription().contains("is not a valid model name"), name);
            }
            StatusRuntimeException empty = assertThrows(StatusRuntimeException.class, () -> server.grpc
                    .repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("empty").build()));
            assertEquals(Code.INVALID_ARGUMENT, empty.getStatus().getCode());
            assertTrue(empty.getStatus().getDescription().contains("no version folder"), empty.getMessage());
            StatusRuntimeException unloadUnknown = assertThrows(StatusRuntimeException.class, () -> server.grpc
                    .repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("nosuch").build()));
            assertEquals(Code.NOT_FOUND, unloadUnknown.getStatus().getCode());
        }
    }

    @ParameterizedTest(name = "dynamic batching {0}")
    @ValueSource(booleans = {false, true})
    void reloadUnderTrafficLosesNoRequest(boolean batching) throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        if (batching) {
            Files.writeString(repository.resolve("affine").resolve("config.json"), "{\"max_batch_size\": 8,"
                    + " \"dynamic_batching\": {\"max_queue_delay_microseconds\": 1000}}");
        }
        try (TestServer server = TestServer.start(explicit("affine"))) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread client = new Thread(() -> {
                    while (running.get()) {
                        try {
                            ModelInferResponse response = server.grpc.modelInfer(EndToEndTest.affineRequest().build());
                            assertArrayEquals(TestModels.affineExpected(X),
                                    EndToEndTest.floats(response.getRawOutputContents(0)));
                            answered.incrementAndGet();
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                });
                client.start();
                clients.add(client);
            }
            for (int reload = 0; reload < 5; reload++) {
                server.grpc.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("affine").build());
            }
            running.set(false);
            for (Thread client : clients) {
                client.join();
            }
            assertTrue(errors.isEmpty(), () -> errors.size() + " requests failed, first: " + errors.peek());
            assertTrue(answered.get() > 0);
        }
    }

    @Test
    void pollingLoadsNewModelsReloadsChangedOnesAndUnloadsRemovedOnesAndLogsEach() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        try (LogCapture log = new LogCapture(); TestServer server = TestServer.start(InferenceServer.builder()
                .modelRepository(repository).modelControl(ModelControl.POLL).pollInterval(Duration.ofMillis(50)))) {
            TestModels.write(repository, "strings", 1, TestModels.strings());
            awaitIndex(server, index -> index.getModelsList().stream()
                    .anyMatch(m -> m.getName().equals("strings") && m.getState().equals("READY")));
            assertLogged(log, "INFO", "model 'strings' loaded (new folder): versions [1]");

            TestModels.write(repository, "affine", 2, TestModels.affine());
            awaitIndex(server, index -> index.getModelsList().stream()
                    .anyMatch(m -> m.getName().equals("affine") && m.getVersion().equals("2")));
            assertLogged(log, "INFO", "model 'affine' reloaded (folder changed): versions [1, 2], compiled [2],"
                    + " retired []");

            // One rename takes the folder away at once: a poll never sees it half deleted. (No model is named ".x".)
            Files.move(repository.resolve("affine"), repository.resolve(".removed"));
            awaitIndex(server, index -> index.getModelsList().stream().noneMatch(m -> m.getName().equals("affine")));
            StatusRuntimeException gone = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.modelInfer(EndToEndTest.affineRequest().build()));
            assertEquals(Code.NOT_FOUND, gone.getStatus().getCode());
            assertLogged(log, "INFO", "model 'affine' unloaded (folder removed): versions [1, 2]");
        }
    }

    @Test
    void badFoldersAreReportedAndTheRestServes() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        TestModels.write(repository, "misconfigured", 1, TestModels.affine());
        Files.writeString(repository.resolve("misconfigured").resolve("config.json"), "{\"intra_op_thread\": 1}");
        TestModels.write(repository, "halfbroken", 1, TestModels.affine());
        Files.createDirectories(repository.resolve("halfbroken").resolve("2"));
        Path outside = Files.createTempDirectory("tern-outside");
        try {
            TestModels.write(outside, "elsewhere", 1, TestModels.affine());
            Files.createDirectories(repository.resolve("linked").resolve("1"));
            Files.createSymbolicLink(repository.resolve("linked").resolve("1").resolve("model.onnx"),
                    outside.resolve("elsewhere").resolve("1").resolve("model.onnx"));
            try (TestServer server = TestServer.start(repository)) {
                RepositoryIndexResponse index = server.grpc.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
                assertEquals("READY", state(index, "affine", "1"));
                assertEquals("READY", state(index, "halfbroken", "1"));
                assertEquals("UNAVAILABLE", state(index, "halfbroken", "2"));
                assertTrue(reason(index, "misconfigured").contains("unknown field 'intra_op_thread'"), index.toString());
                assertTrue(reason(index, "linked").contains("links outside the model repository"), index.toString());
                assertArrayEquals(TestModels.affineExpected(X), EndToEndTest.floats(server.grpc.modelInfer(
                        EndToEndTest.affineRequest().setModelName("halfbroken").build()).getRawOutputContents(0)));
            }
        } finally {
            Files.delete(outside.resolve("elsewhere").resolve("1").resolve("model.onnx"));
            Files.delete(outside.resolve("elsewhere").resolve("1"));
            Files.delete(outside.resolve("elsewhere"));
            Files.delete(outside);
        }
    }

    /** Explicit model control, loading {@code atStart} as the server starts. */
    private InferenceServer.Builder explicit(String... atStart) {
        return InferenceServer.builder().modelRepository(repository).modelControl(ModelControl.EXPLICIT)
                .loadAtStart(List.of(atStart));
    }

    /** Asserts that a line of {@code level} logged to the model events logger holds {@code message}. */
    private static void assertLogged(LogCapture log, String level, String message) {
        String prefix = level + " " + ModelRepository.EVENTS_LOGGER + " - ";
        assertTrue(log.text().lines().anyMatch(line -> line.contains(prefix) && line.contains(message)),
                () -> "no " + level + " line with <" + message + "> in:\n" + log.text());
    }

    private static String state(RepositoryIndexResponse index, String name, String version) {
        return index.getModelsList().stream().filter(m -> m.getName().equals(name) && m.getVersion().equals(version))
                .findFirst().orElseThrow(() -> new AssertionError(name + " " + version + " not in " + index))
                .getState();
    }

    private static String reason(RepositoryIndexResponse index, String name) {
        return index.getModelsList().stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + index)).getReason();
    }

    private static void awaitIndex(TestServer server, Predicate<RepositoryIndexResponse> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        RepositoryIndexResponse index = server.grpc.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
        while (!condition.test(index)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the repository never reached the expected state: " + index);
            }
            Thread.sleep(20);
            index = server.grpc.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
        }
    }
}
