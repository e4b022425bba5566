package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.cli.internal.ExampleModel;
import dev.tern.server.InferenceServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern loadgen} against the example model served on free loopback ports. */
class LoadgenCommandTest {
    @TempDir
    static Path repository;

    private static InferenceServer server;

    @BeforeAll
    static void startServer() throws Exception {
        ExampleModel.writeRepository(repository);
        server = InferenceServer.builder().modelRepository(repository).httpPort(0).grpcPort(0).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void countsEveryGrpcRequestAsSucceeded() {
        CliRun run = CliRun.of("loadgen", "--url", "127.0.0.1:" + server.grpcPort(), "--model", ExampleModel.NAME,
                "--concurrency", "4", "--warmup", "0", "--requests", "200", "--json");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("\"count\":200,") && run.out().contains("\"failures\":{}"), run::toString);
    }

    @Test
    void drivesRestForADuration() {
        CliRun run = CliRun.of("loadgen", "--url", "127.0.0.1:" + server.httpPort(), "--protocol", "rest",
                "--model", ExampleModel.NAME, "--version", "1", "--concurrency", "2", "--warmup", "0.1",
                "--duration", "0.5");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("latency ms   p50 ") && run.out().contains(" 0 failed "), run::toString);
    }

    @Test
    void countsFailuresByStatusAndExitsOne() {
        // The MLP takes FP32[-1,4]; three columns are refused on every request.
        CliRun run = CliRun.of("loadgen", "--url", "127.0.0.1:" + server.grpcPort(), "--model", ExampleModel.NAME,
                "--shape", "x=1,3", "--warmup", "0", "--requests", "20");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("failed       20 INVALID_ARGUMENT"), run::toString);
    }

    @Test
    void countsRestFailuresByHttpStatus() {
        CliRun run = CliRun.of("loadgen", "--url", "127.0.0.1:" + server.httpPort(), "--protocol", "rest",
                "--model", ExampleModel.NAME, "--shape", "x=1,3", "--warmup", "0", "--requests", "10");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("failed       10 HTTP 400"), run::toString);
    }

    @Test
    void anUnknownModelFailsBeforeAnyLoad() {
        CliRun run = CliRun.of("loadgen", "--url", "127.0.0.1:" + server.grpcPort(), "--model", "nope",
                "--requests", "10");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("NOT_FOUND"), run::toString);
    }

    @Test
    void aUrlWithoutPortIsBadUsage() {
        CliRun run = CliRun.of("loadgen", "--url", "localhost", "--model", ExampleModel.NAME);
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--url must be HOST:PORT"), run::toString);
    }
}
