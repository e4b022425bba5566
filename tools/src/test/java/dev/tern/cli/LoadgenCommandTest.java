package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.cli.internal.ExampleModel;
import dev.tern.server.InferenceServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern loadgen} against the example model served on free loopback ports. */
class LoadgenCommandTest {
    private static final String TOKEN = "loadgen-token";
    /** What the server answers a request with three columns for the MLP's four. */
    private static final String WRONG_SHAPE = "model 'mlp' version 1: input 'x' needs shape [-1, 4] (-1: any size),"
            + " found [1, 3]";

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
                "--model", ExampleModel.NAME, "--model-version", "1", "--concurrency", "2", "--warmup", "0.1",
                "--duration", "0.5");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("latency ms   p50 ") && run.out().contains(" 0 failed "), run::toString);
    }

    @Test
    void countsFailuresByStatusWithTheServersMessageAndExitsOne() {
        // The MLP takes FP32[-1,4]; three columns are refused on every request.
        CliRun run = CliRun.of("loadgen", "--url", "127.0.0.1:" + server.grpcPort(), "--model", ExampleModel.NAME,
                "--shape", "x=1,3", "--warmup", "0", "--requests", "20");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("failed       20 INVALID_ARGUMENT: " + WRONG_SHAPE), run::toString);
    }

    @Test
    void countsRestFailuresByHttpStatusWithTheServersMessage() {
        CliRun run = CliRun.of("loadgen", "--url", "127.0.0.1:" + server.httpPort(), "--protocol", "rest",
                "--model", ExampleModel.NAME, "--shape", "x=1,3", "--warmup", "0", "--requests", "10", "--json");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("\"failures\":{\"HTTP 400\":10}"), run::toString);
        assertTrue(run.out().contains("\"firstFailureMessages\":{\"HTTP 400\":\"" + WRONG_SHAPE), run::toString);
    }

    @Test
    void sendsTheBearerTokenFromItsFile(@TempDir Path folder) throws Exception {
        Path token = Files.writeString(folder.resolve("token"), TOKEN + "\n");
        try (InferenceServer guarded = InferenceServer.builder().modelRepository(repository).httpPort(0).grpcPort(0)
                .bearerToken(TOKEN).start()) {
            for (String[] transport : List.of(new String[] {"grpc", Integer.toString(guarded.grpcPort())},
                    new String[] {"rest", Integer.toString(guarded.httpPort())})) {
                List<String> args = List.of("loadgen", "--url", "127.0.0.1:" + transport[1], "--protocol",
                        transport[0], "--model", ExampleModel.NAME, "--warmup", "0", "--requests", "5");
                CliRun refused = CliRun.of(args.toArray(String[]::new));
                assertEquals(1, refused.exitCode(), refused::toString);
                assertTrue(refused.err().contains("requires 'Authorization: Bearer <token>'"), refused::toString);

                List<String> withToken = new ArrayList<>(args);
                withToken.addAll(List.of("--bearer-token-file", token.toString()));
                CliRun accepted = CliRun.of(withToken.toArray(String[]::new));
                assertEquals(0, accepted.exitCode(), accepted::toString);
                assertTrue(accepted.out().contains("5 ok, 0 failed"), accepted::toString);
            }
        }
    }

    @Test
    void anEmptyBearerTokenFileIsBadUsage(@TempDir Path folder) throws Exception {
        Path token = Files.writeString(folder.resolve("token"), "\n");
        CliRun run = CliRun.of("loadgen", "--url", "127.0.0.1:" + server.grpcPort(), "--model", ExampleModel.NAME,
                "--bearer-token-file", token.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains(token + ": the bearer token file is empty"), run::toString);
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
