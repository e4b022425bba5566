package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.server.internal.repository.ModelRepository;
import dev.tern.server.proto.ModelStatisticsRequest;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Polling the repository version by version: a new version folder loads beside the others, a
 * changed model file compiles again while its old version serves, and a removed folder unloads;
 * the versions whose files did not change keep serving untouched (their statistics go on).
 */
@ExtendWith(NoLeaks.class)
class PollingTest {
    @TempDir
    Path repository;

    @Test
    void onlyNewAndChangedVersionsCompileAndTheOthersServeThroughout() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        try (LogCapture log = new LogCapture(); TestServer server = TestServer.start(InferenceServer.builder()
                .modelRepository(repository).modelControl(ModelControl.POLL).pollInterval(Duration.ofMillis(50)))) {
            for (int i = 0; i < 3; i++) {
                server.grpc.modelInfer(EndToEndTest.affineRequest().setModelVersion("1").build());
            }

            // Written aside and moved in with one rename, so that no poll sees the file half written.
            TestModels.write(repository, ".staging", 2, TestModels.affine());
            Files.move(repository.resolve(".staging").resolve("2"), repository.resolve("affine").resolve("2"));
            await(() -> logged(log, "model 'affine' reloaded (folder changed): versions [1, 2], compiled [2],"
                    + " retired []"));
            assertEquals(3, successes(server, "1"), "version 1 was kept as it was, not compiled again");
            server.grpc.modelInfer(EndToEndTest.affineRequest().setModelVersion("2").build());

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            Thread client = new Thread(() -> {
                while (running.get()) {
                    try {
                        server.grpc.modelInfer(EndToEndTest.affineRequest().setModelVersion("1").build());
                        answered.incrementAndGet();
                    } catch (RuntimeException e) {
                        errors.add(e);
                    }
                }
            });
            client.start();
            Path changed = repository.resolve("affine").resolve("1").resolve("model.onnx");
            Files.setLastModifiedTime(changed, FileTime.from(Instant.now().plusSeconds(5)));
            await(() -> logged(log, "model 'affine' reloaded (folder changed): versions [1, 2], compiled [1],"
                    + " retired [1]"));
            int beforeReload = answered.get();
            await(() -> answered.get() > beforeReload + 3);
            running.set(false);
            client.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(errors.isEmpty(), () -> errors.size() + " requests failed across the reload, first: "
                    + errors.peek());
            assertEquals(1, successes(server, "2"), "version 2 was kept as it was");

            // One rename takes the folder away at once: a poll never sees it half deleted.
            Files.move(repository.resolve("affine").resolve("2"), repository.resolve(".removed-2"));
            await(() -> logged(log, "model 'affine' reloaded (folder changed): versions [1], compiled [],"
                    + " retired [2]"));
            StatusRuntimeException gone = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.modelInfer(EndToEndTest.affineRequest().setModelVersion("2").build()));
            assertEquals(Code.NOT_FOUND, gone.getStatus().getCode());
            server.grpc.modelInfer(EndToEndTest.affineRequest().setModelVersion("1").build());
        }
    }

    private static long successes(TestServer server, String version) {
        return server.grpc.modelStatistics(ModelStatisticsRequest.newBuilder().setName("affine").setVersion(version)
                .build()).getModelStats(0).getInferenceStats().getSuccess().getCount();
    }

    private static boolean logged(LogCapture log, String message) {
        String prefix = "INFO " + ModelRepository.EVENTS_LOGGER + " - ";
        return log.text().lines().anyMatch(line -> line.contains(prefix) && line.contains(message));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "the repository never reached the expected state");
            Thread.sleep(20);
        }
    }
}
