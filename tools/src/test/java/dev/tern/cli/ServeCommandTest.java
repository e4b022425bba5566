package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.server.InferenceServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tern serve}: the example model answers the printed curl request; bad options fail cleanly. */
class ServeCommandTest {
    private static final Pattern HTTP_PORT = Pattern.compile("over HTTP on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern CURL_BODY = Pattern.compile("-d '(.*)'");

    @Test
    void servesTheExampleModelUntilInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine tern = Tern.newCommandLine();
        tern.setOut(new PrintWriter(out, true));
        tern.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        Thread serving = new Thread(() -> exitCode.complete(tern.execute("serve", "--http-port", "0",
                "--grpc-port", "0")));
        serving.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!out.toString().contains("try: curl")) {
                assertTrue(System.nanoTime() < deadline && !exitCode.isDone(), () -> "no curl line; out: " + out
                        + " err: " + err);
                Thread.sleep(20);
            }
            Matcher port = HTTP_PORT.matcher(out.toString());
            Matcher body = CURL_BODY.matcher(out.toString());
            assertTrue(port.find() && body.find(), out::toString);
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port.group(1) + "/v2/models/mlp/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString(body.group(1))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"name\":\"y\"") && response.body().contains("\"shape\":[1,3]"),
                    response.body());
        } finally {
            serving.interrupt();
            serving.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertEquals(0, exitCode.get(1, TimeUnit.SECONDS), err::toString);
        assertEquals(0, InferenceServer.openServers());
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
