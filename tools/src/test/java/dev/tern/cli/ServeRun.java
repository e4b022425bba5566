package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code tern serve} running in-process on a thread of its own, on the ports it printed; closing
 * it interrupts the command, which must then shut down and exit 0.
 */
final class ServeRun implements AutoCloseable {
    private static final Pattern HTTP_PORT = Pattern.compile("over HTTP on 127\\.0\\.0\\.1:(\\d+)");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final Thread serving;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int httpPort;

    /** Starts {@code tern serve} with {@code options} (free ports added) and waits until it serves. */
    ServeRun(String... options) throws InterruptedException {
        CommandLine tern = Tern.newCommandLine();
        tern.setOut(new PrintWriter(out, true));
        tern.setErr(new PrintWriter(err, true));
        String[] args = new String[options.length + 5];
        args[0] = "serve";
        System.arraycopy(new String[] {"--http-port", "0", "--grpc-port", "0"}, 0, args, 1, 4);
        System.arraycopy(options, 0, args, 5, options.length);
        serving = new Thread(() -> exitCode.complete(tern.execute(args)), "tern-serve-test");
        serving.start();
        httpPort = Integer.parseInt(awaitOut(HTTP_PORT).group(1));
    }

    /** The first match of {@code pattern} in what the command prints, waiting up to a minute for it. */
    Matcher awaitOut(Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Matcher matcher = pattern.matcher("");
        while (!matcher.reset(out.toString()).find()) {
            assertTrue(System.nanoTime() < deadline && !exitCode.isDone(), this::toString);
            Thread.sleep(20);
        }
        return matcher;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        serving.interrupt();
        serving.join(TimeUnit.SECONDS.toMillis(60));
        assertEquals(0, exitCode.get(1, TimeUnit.SECONDS), this::toString);
    }

    @Override
    public String toString() {
        return "tern serve\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }
}
