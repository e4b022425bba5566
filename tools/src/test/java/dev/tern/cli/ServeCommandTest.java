package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.cli.internal.ExampleModel;
import dev.tern.server.InferenceServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern serve}: the example model answers the printed curl request, the printed console
 * address answers with the console; bad options fail cleanly.
 */
class ServeCommandTest {
    private static final Pattern CURL_BODY = Pattern.compile("-d '(.*)'");

    @Test
    void servesTheExampleModelUntilInterrupted() throws Exception {
        try (ServeRun serve = new ServeRun()) {
            Matcher body = serve.awaitOut(CURL_BODY);
            HttpResponse<String> response = serve.post("/v2/models/mlp/infer", body.group(1));
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"name\":\"y\"") && response.body().contains("\"shape\":[1,3]"),
                    response.body());

            Matcher console = serve.awaitOut(Pattern.compile("console: open http://127\\.0\\.0\\.1:\\d+(/) in a browser"));
            HttpResponse<String> page = serve.get(console.group(1));
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
            assertTrue(page.body().contains("<title>Tern console</title>"), page.body());
        }
        assertEquals(0, InferenceServer.openServers());
    }

    @Test
    void explicitControlLoadsOnlyTheModelsNamedWithLoadModel(@TempDir Path repository) throws Exception {
        ExampleModel.writeRepository(repository);
        copy(repository.resolve(ExampleModel.NAME), repository.resolve("second"));
        try (ServeRun serve = new ServeRun("--model-repository", repository.toString(), "--model-control", "explicit",
                "--load-model", "second")) {
            assertEquals(200, serve.get("/v2/models/second/ready").statusCode());
            HttpResponse<String> notLoaded = serve.get("/v2/models/mlp/ready");
            assertEquals(404, notLoaded.statusCode(), notLoaded.body());

            assertEquals(200, serve.post("/v2/repository/models/mlp/load", "").statusCode());
            assertEquals(200, serve.get("/v2/models/mlp/ready").statusCode());
        }
    }

    @Test
    void explicitControlWithLoadModelStarLoadsEveryModel(@TempDir Path repository) throws Exception {
        ExampleModel.writeRepository(repository);
        copy(repository.resolve(ExampleModel.NAME), repository.resolve("second"));
        try (ServeRun serve = new ServeRun("--model-repository", repository.toString(), "--model-control", "explicit",
                "--load-model", "*")) {
            assertEquals(200, serve.get("/v2/models/mlp/ready").statusCode());
            assertEquals(200, serve.get("/v2/models/second/ready").statusCode());
        }
        CliRun mixed = CliRun.of("serve", "--model-repository", repository.toString(), "--model-control", "explicit",
                "--load-model", "*", "--load-model", "mlp", "--http-port", "0", "--grpc-port", "0");
        assertEquals(2, mixed.exitCode(), mixed.toString());
        assertTrue(mixed.err().contains("'*' loads every model and must be the only model named to load at start"),
                mixed.toString());
    }

    @Test
    void cacheSizeAnswersARepeatedRequestFromTheCache(@TempDir Path repository) throws Exception {
        ExampleModel.writeRepository(repository);
        Files.writeString(repository.resolve(ExampleModel.NAME).resolve("config.json"),
                "{\"response_cache\": {\"enable\": true}}");
        try (ServeRun serve = new ServeRun("--model-repository", repository.toString(), "--cache-size", "65536")) {
            String body = ExampleModel.CURL_BODY;
            HttpResponse<String> first = serve.post("/v2/models/mlp/infer", body);
            HttpResponse<String> second = serve.post("/v2/models/mlp/infer", body);
            assertEquals(200, second.statusCode(), second.body());
            assertEquals(first.body(), second.body());
            String statistics = serve.get("/v2/models/mlp/stats").body();
            assertTrue(statistics.contains("\"cache_hit\":{\"count\":1,"), statistics);
        }
        CliRun negative = CliRun.of("serve", "--cache-size", "-1", "--http-port", "0", "--grpc-port", "0");
        assertEquals(2, negative.exitCode(), negative.toString());
        assertTrue(negative.err().contains("response cache size must be >= 0 bytes, found -1"), negative.toString());
    }

    @Test
    void pollingEveryRepositoryPollSecsLoadsANewModel(@TempDir Path repository) throws Exception {
        ExampleModel.writeRepository(repository);
        try (ServeRun serve = new ServeRun("--model-repository", repository.toString(), "--model-control", "poll",
                "--repository-poll-secs", "1")) {
            assertEquals(200, serve.get("/v2/models/mlp/ready").statusCode());
            copy(repository.resolve(ExampleModel.NAME), repository.resolve("second"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (serve.get("/v2/models/second/ready").statusCode() != 200) {
                assertTrue(System.nanoTime() < deadline, "the new model never loaded");
                Thread.sleep(100);
            }
        }
        CliRun withoutPolling = CliRun.of("serve", "--repository-poll-secs", "1");
        assertEquals(2, withoutPolling.exitCode(), withoutPolling.toString());
        assertTrue(withoutPolling.err().contains("--repository-poll-secs needs --model-control poll"),
                withoutPolling.toString());
    }

    @Test
    void withATokenHealthAndMetricsStayOpenUnlessProtected(@TempDir Path folder) throws Exception {
        Path token = Files.writeString(folder.resolve("token"), "serve-token");
        try (ServeRun serve = new ServeRun("--bearer-token-file", token.toString())) {
            assertEquals(200, serve.get("/v2/health/ready").statusCode());
            assertEquals(200, serve.get("/metrics").statusCode());
            assertEquals(401, serve.get("/v2/models/mlp").statusCode());
        }
        try (ServeRun serve = new ServeRun("--bearer-token-file", token.toString(), "--protect-health-and-metrics")) {
            assertEquals(401, serve.get("/v2/health/ready").statusCode());
            assertEquals(401, serve.get("/metrics").statusCode());
        }
    }

    @Test
    void loadModelWithoutExplicitControlIsAUsageError() {
        CliRun run = CliRun.of("serve", "--load-model", "mlp");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--load-model needs --model-control explicit; with 'none' the server loads"
                + " every model itself"), run.toString());
    }

    @Test
    void loadingAModelTheRepositoryLacksIsAUsageError(@TempDir Path repository) throws Exception {
        ExampleModel.writeRepository(repository);
        CliRun run = CliRun.of("serve", "--model-repository", repository.toString(), "--model-control", "explicit",
                "--load-model", "nosuch", "--http-port", "0", "--grpc-port", "0");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("has no model 'nosuch' to load at start; its models are [mlp]"), run.toString());
        assertEquals(0, InferenceServer.openServers());
    }

    @Test
    void protectingHealthAndMetricsWithoutATokenIsAUsageError() {
        CliRun run = CliRun.of("serve", "--protect-health-and-metrics");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--protect-health-and-metrics needs --bearer-token-file"), run.toString());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Files.copy(path, to.resolve(from.relativize(path).toString()));
            }
        }
    }

    @Test
    void aTakenPortIsAUsageErrorAndLeavesNoExampleBehind() throws Exception {
        List<Path> before = exampleFolders();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CliRun run = CliRun.of("serve", "--http-port", Integer.toString(taken.getLocalPort()), "--grpc-port", "0");
            assertEquals(2, run.exitCode(), run.toString());
            assertTrue(run.err().contains("cannot listen on 127.0.0.1"), run.toString());
        }
        assertEquals(0, InferenceServer.openServers());
        assertEquals(before, exampleFolders());
    }

    /** The example repositories {@code serve} has left in the temporary folder. */
    private static List<Path> exampleFolders() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(path -> path.getFileName().toString().startsWith("tern-example-")).sorted().toList();
        }
    }

    @Test
    void unknownModelControlIsAUsageError() {
        CliRun run = CliRun.of("serve", "--model-control", "sometimes");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--model-control must be none, explicit or poll, found 'sometimes'"),
                run.toString());
    }

    @Test
    void emptyBearerTokenFileIsAUsageError(@TempDir Path folder) throws IOException {
        Path token = Files.writeString(folder.resolve("token"), "  \n");
        CliRun run = CliRun.of("serve", "--bearer-token-file", token.toString(), "--http-port", "0", "--grpc-port", "0");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("the bearer token file is empty"), run.toString());
    }

    @Test
    void missingRepositoryIsAUsageError() {
        CliRun run = CliRun.of("serve", "--model-repository", "/no/such/folder");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("/no/such/folder: no such model repository folder"), run.toString());
    }
}
