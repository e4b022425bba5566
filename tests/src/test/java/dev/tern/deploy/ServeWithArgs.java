package dev.tern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.cli.Tern;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code tern serve} started in-process with a manifest's arguments, but for two values a test
 * machine must choose: the model repository (a folder the test wrote) and the port numbers (0,
 * so parallel builds cannot collide). {@link #httpPort()} is the port it took.
 */
final class ServeWithArgs implements AutoCloseable {
    private static final Pattern HTTP = Pattern.compile("over HTTP on (\\S+):(\\d+) and gRPC on \\S+:(\\d+)");

    private final StringWriter out = new StringWriter();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final Thread serving;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String host;
    private final int httpPort;

    ServeWithArgs(List<String> manifestArgs, Path repository) throws InterruptedException {
        List<String> args = new ArrayList<>(manifestArgs);
        for (int i = 0; i + 1 < args.size(); i++) {
            switch (args.get(i)) {
                case "--model-repository" -> args.set(i + 1, repository.toString());
                case "--http-port", "--grpc-port" -> args.set(i + 1, "0");
                default -> { }
            }
        }
        CommandLine tern = Tern.newCommandLine();
        tern.setOut(new PrintWriter(out, true));
        tern.setErr(new PrintWriter(out, true));
        serving = new Thread(() -> exitCode.complete(tern.execute(args.toArray(new String[0]))), "tern-serve-manifest");
        serving.start();
        Matcher started = awaitServing();
        host = started.group(1);
        httpPort = Integer.parseInt(started.group(2));
    }

    /** The address the server said it listens on. */
    String host() {
        return host;
    }

    int httpPort() {
        return httpPort;
    }

    /** A GET on the HTTP port over loopback. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + httpPort + path);
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST of {@code json} on the HTTP port over loopback. */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + httpPort + path);
        return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Matcher awaitServing() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Matcher matcher = HTTP.matcher("");
        while (!matcher.reset(out.toString()).find()) {
            assertTrue(System.nanoTime() < deadline && !exitCode.isDone(), () -> "tern serve did not start:\n" + out);
            Thread.sleep(20);
        }
        return matcher;
    }

    @Override
    public void close() throws Exception {
        serving.interrupt();
        serving.join(TimeUnit.SECONDS.toMillis(60));
        assertEquals(0, exitCode.get(1, TimeUnit.SECONDS), out::toString);
    }
}
