package dev.tern.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, with its DevTools endpoint on a free loopback port and a
 * user-data folder of its own that is deleted on {@link #close()}, which also kills the browser
 * and every process it started. The test that uses it fails, rather than skipping, when
 * Chromium is not installed: {@code bin/test} installs it on a fresh machine. Public, with
 * {@link DevToolsPage}, for the console tests of modules that use the server's test jar.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path userData;
    private final Path log;
    private final int port;

    private HeadlessChromium(Process process, Path userData, Path log, int port) {
        this.process = process;
        this.userData = userData;
        this.log = log;
        this.port = port;
    }

    /** The last lines Chromium wrote, for failure messages. */
    public String logTail() {
        return logTail(log);
    }

    /**
     * Starts Chromium with a {@code width} by {@code height} window on about:blank and waits for its DevTools endpoint.
     *
     * @throws IllegalStateException if {@code chromium} is not on the PATH, or it exits or stays silent for a minute
     */
    public static HeadlessChromium start(int width, int height) throws IOException, InterruptedException {
        Path binary = findOnPath("chromium").orElseThrow(() -> new IllegalStateException(
                "the console's browser test needs Debian's chromium package, which is not on the PATH; install it"
                        + " with 'apt-get install chromium' (bin/test does so when run as root)"));
        Path userData = Files.createTempDirectory("tern-chromium-");
        Path log = userData.resolve("chromium.log");
        List<String> command = List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--user-data-dir=" + userData, "--window-size=" + width + "," + height,
                "about:blank");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            return new HeadlessChromium(process, userData, log, awaitPort(process, userData, log));
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(process, userData);
            throw e;
        }
    }

    /** Opens a DevTools session on the browser's first page. */
    public DevToolsPage openPage() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> targets = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : JSON.readTree(targets.body())) {
            if (target.path("type").asText().equals("page")) {
                return DevToolsPage.connect(http, URI.create(target.path("webSocketDebuggerUrl").asText()));
            }
        }
        throw new IllegalStateException("Chromium lists no page target: " + targets.body());
    }

    /** Kills Chromium and its helper processes and deletes its user-data folder. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        stop(process, userData);
    }

    /** The last lines Chromium wrote to {@code log}, for failure messages. */
    private static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no Chromium log: " + e + ")";
        }
    }

    /** The port Chromium writes into DevToolsActivePort (first line) once its endpoint listens. */
    private static int awaitPort(Process process, Path userData, Path log) throws IOException, InterruptedException {
        Path portFile = userData.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium exited with status " + process.exitValue()
                        + " before its DevTools endpoint listened:\n" + logTail(log));
            }
            if (Files.isRegularFile(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (lines.size() >= 2) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Chromium's DevTools endpoint did not listen within " + START_TIMEOUT
                + ":\n" + logTail(log));
    }

    /** Kills {@code process} and every process it started, waits for them to end, and deletes {@code userData}. */
    private static void stop(Process process, Path userData) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Chromium process " + handle.pid() + " did not end when killed", e);
            }
        }
        deleteTree(userData);
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(folder -> !folder.isEmpty())
                .map(folder -> Path.of(folder, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting Chromium's user-data folder " + root, e);
        }
    }
}
