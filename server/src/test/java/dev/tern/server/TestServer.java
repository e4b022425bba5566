package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.Runtime;
import dev.tern.server.proto.GRPCInferenceServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A server on free loopback ports with a real grpc-java client and a real HTTP client. Closing
 * it closes the channel and the server, then checks that no model is left open.
 */
final class TestServer implements AutoCloseable {
    final Runtime runtime;
    final InferenceServer server;
    final ManagedChannel channel;
    final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpc;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestServer(Runtime runtime, InferenceServer server) {
        this.runtime = runtime;
        this.server = server;
        this.channel = NoLeaks.track(NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .directExecutor()
                .maxInboundMessageSize(64 << 20)
                .build());
        this.grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    static TestServer start(Path repository) throws IOException, InterruptedException {
        return start(InferenceServer.builder().modelRepository(repository));
    }

    /** Starts {@code builder} on free ports with a runtime of the fixture's own. */
    static TestServer start(InferenceServer.Builder builder) throws IOException, InterruptedException {
        Runtime runtime = Runtime.create();
        try {
            return new TestServer(runtime, builder.httpPort(0).grpcPort(0).runtime(runtime).start());
        } catch (IOException | InterruptedException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Scrapes {@code /metrics} until a scrape satisfies {@code condition}, and returns it; fails after 30 s. */
    String awaitMetrics(String what, Predicate<String> condition) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String metrics = get("/metrics").body();
            if (condition.test(metrics)) {
                return metrics;
            }
            assertTrue(System.nanoTime() < deadline, "never saw " + what);
            Thread.sleep(5);
        }
    }

    /** Waits until {@code count} requests to version 1 of {@code model} have started running (their queue time is recorded then). */
    String awaitStartedRuns(String model, int count) throws IOException, InterruptedException {
        String started = "tern_inference_queue_seconds_count{model=\"" + model + "\",version=\"1\"} " + count;
        return awaitMetrics(count + " runs of " + model + " start", metrics -> metrics.contains(started));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            channel.shutdownNow();
            channel.awaitTermination(10, TimeUnit.SECONDS);
            server.close();
            assertEquals(0, runtime.openModels(), "models left open after the server closed");
        } finally {
            runtime.close();
        }
    }
}
