package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.server.internal.RepositoryInferenceService;
import dev.tern.server.proto.InferParameter;
import dev.tern.server.proto.ModelConfigRequest;
import dev.tern.server.proto.ModelDynamicBatching;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelQueuePolicy;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Priority levels and queue policies over gRPC and REST, behind a slow run that holds the only
 * instance: a high-priority request overtakes the low-priority ones queued before it, a full
 * level refuses, a timed-out request is rejected under REJECT and moved behind under DELAY.
 */
@ExtendWith(NoLeaks.class)
class PriorityQueueingTest {
    /**
     * Level 2 (the default) holds two requests and delays those that time out; level 1 rejects
     * them. Both let a request set its own queue timeout. No queue delay: batches form at once.
     */
    private static final String CONFIG = """
            {"intra_op_threads": 1, "max_batch_size": 1024,
             "dynamic_batching": {"max_queue_delay_microseconds": 0, "priority_levels": 2,
               "default_priority_level": 2,
               "default_queue_policy": {"max_queue_size": 2, "timeout_action": "DELAY",
                                        "allow_timeout_override": true},
               "priority_queue_policy": {"1": {"max_queue_size": 4, "timeout_action": "REJECT",
                                               "allow_timeout_override": true}}}}""";
    /** Rows of each queued request: enough that runs take a while, so answers arrive in run order. */
    private static final int ROWS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path repository;

    private final ExecutorService clients = Executors.newCachedThreadPool();
    /** The requests in the order their answers came back. */
    private final Queue<String> answered = new ConcurrentLinkedQueue<>();

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void aHighPriorityRequestOvertakesQueuedOnesAndEachLevelKeepsItsPolicy() throws Exception {
        // Seconds for the first run of 1024 rows on one thread, even on an idle fast machine: the
        // others queue behind it (with 16 MatMuls it could end before the last request arrived).
        TestModels.write(repository, "slow", 1, TestModels.slowTagged(64));
        Files.writeString(repository.resolve("slow").resolve("config.json"), CONFIG);
        try (TestServer server = TestServer.start(repository)) {
            RepositoryInferenceService service = (RepositoryInferenceService) server.server.service();
            // Not among the answers compared: its 4 MB answer may take longer to arrive than the small ones.
            CompletableFuture<?> first = CompletableFuture.supplyAsync(
                    () -> server.grpc.modelInfer(grpcRequest(1024, 1, 0, 0)), clients);
            server.awaitStartedRuns("slow", 1);

            CompletableFuture<?> delayed = call("delayed", () -> rest(server, 2, "{\"timeout\": 20000}"));
            awaitInFlight(service, 2);
            CompletableFuture<?> low = call("low", () -> server.grpc.modelInfer(grpcRequest(ROWS, 3, 0, 0)));
            awaitInFlight(service, 3);

            StatusRuntimeException full = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.modelInfer(grpcRequest(ROWS, 4, 2, 0)));
            assertEquals(Code.UNAVAILABLE, full.getStatus().getCode());
            assertTrue(full.getStatus().getDescription().contains("model 'slow' version 1: the request queue of"
                    + " priority level 2 is full (max_queue_size 2 requests)"), full.getStatus().getDescription());
            HttpResponse<String> fullRest = rest(server, 4, "{\"priority\": 0}");
            assertEquals(503, fullRest.statusCode(), fullRest.body());

            StatusRuntimeException rejected = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.modelInfer(grpcRequest(ROWS, 5, 1, 50_000)));
            assertEquals(Code.UNAVAILABLE, rejected.getStatus().getCode());
            assertTrue(rejected.getStatus().getDescription().contains("the request of priority level 1 waited past"
                    + " its queue timeout of 50000 us (timeout_action REJECT)"), rejected.getStatus().getDescription());

            CompletableFuture<?> high = call("high", () -> rest(server, 6, "{\"priority\": 1}"));
            for (CompletableFuture<?> answer : List.of(first, delayed, low, high)) {
                answer.get(120, TimeUnit.SECONDS);
            }
            assertEquals(List.of("high", "low", "delayed"), List.copyOf(answered),
                    "level 1 runs before level 2, whose timed-out request waits behind the one in time");
            assertEquals(200, ((HttpResponse<?>) high.get()).statusCode());
            assertEquals(200, ((HttpResponse<?>) delayed.get()).statusCode());
        }
    }

    @Test
    void aPriorityWithoutItsLevelIsRefusedAndTheConfigurationShowsTheLevels() throws Exception {
        TestModels.write(repository, "slow", 1, TestModels.slowTagged(1));
        Files.writeString(repository.resolve("slow").resolve("config.json"), CONFIG);
        try (TestServer server = TestServer.start(repository)) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.modelInfer(grpcRequest(1, 1, 3, 0)));
            assertEquals(Code.INVALID_ARGUMENT, refused.getStatus().getCode());
            assertTrue(refused.getStatus().getDescription().contains("model 'slow' version 1: parameter 'priority'"
                    + " must be from 1 (highest) to priority_levels 2, or 0 for the default level 2, found 3"),
                    refused.getStatus().getDescription());
            HttpResponse<String> refusedRest = rest(server, 1, "{\"priority\": 3}");
            assertEquals(400, refusedRest.statusCode());
            assertTrue(refusedRest.body().contains("parameter 'priority' must be from 1"), refusedRest.body());

            ModelDynamicBatching batching = server.grpc.modelConfig(ModelConfigRequest.newBuilder().setName("slow")
                    .build()).getConfig().getDynamicBatching();
            assertEquals(2, batching.getPriorityLevels());
            assertEquals(2, batching.getDefaultPriorityLevel());
            assertEquals(ModelQueuePolicy.TimeoutAction.DELAY, batching.getDefaultQueuePolicy().getTimeoutAction());
            assertEquals(2, batching.getDefaultQueuePolicy().getMaxQueueSize());
            assertEquals(ModelQueuePolicy.TimeoutAction.REJECT,
                    batching.getPriorityQueuePolicyOrThrow(1).getTimeoutAction());
            JsonNode rest = JSON.readTree(server.get("/v2/models/slow/config").body()).path("dynamic_batching");
            assertEquals("2", rest.path("priority_levels").asText());
            assertEquals(4, rest.path("priority_queue_policy").path("1").path("max_queue_size").asInt());
            assertTrue(rest.path("default_queue_policy").path("allow_timeout_override").asBoolean());
        }
    }

    /** Runs {@code request} on a client thread and notes its name once its answer (or failure) is back. */
    private <T> CompletableFuture<T> call(String name, Callable<T> request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return request.call();
            } catch (Exception e) {
                throw new IllegalStateException(name + " failed", e);
            } finally {
                answered.add(name);
            }
        }, clients);
    }

    /**
     * A request of {@code rows} rows whose tag is {@code width} wide (requests of different widths
     * never share a run), at {@code priority} (0: the default) with a {@code timeout} (0: none).
     */
    private static ModelInferRequest grpcRequest(int rows, int width, long priority, long timeoutMicros) {
        ModelInferRequest.Builder request = TestModels.slowRequest(rows);
        request.addInputsBuilder().setName("tag").setDatatype("FP32").addShape(rows).addShape(width);
        request.addRawInputContents(EndToEndTest.rawFloats(new float[rows * width]));
        if (priority > 0) {
            request.putParameters("priority", InferParameter.newBuilder().setUint64Param(priority).build());
        }
        if (timeoutMicros > 0) {
            request.putParameters("timeout", InferParameter.newBuilder().setInt64Param(timeoutMicros).build());
        }
        return request.build();
    }

    /** The REST form of a {@link #ROWS}-row request with a tag {@code width} wide and {@code parameters}. */
    private static HttpResponse<String> rest(TestServer server, int width, String parameters) throws Exception {
        String body = "{\"parameters\": " + parameters + ", \"inputs\": ["
                + "{\"name\": \"x\", \"shape\": [" + ROWS + ", " + TestModels.SLOW_SIZE + "], \"datatype\": \"FP32\","
                + " \"data\": " + zeros(ROWS * TestModels.SLOW_SIZE) + "},"
                + "{\"name\": \"tag\", \"shape\": [" + ROWS + ", " + width + "], \"datatype\": \"FP32\","
                + " \"data\": " + zeros(ROWS * width) + "}]}";
        return server.post("/v2/models/slow/infer", body);
    }

    private static String zeros(int count) {
        return "[" + "0,".repeat(count - 1) + "0]";
    }

    private static void awaitInFlight(RepositoryInferenceService service, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (service.inFlight() != count) {
            assertTrue(System.nanoTime() < deadline, "never saw " + count + " requests in flight");
            Thread.sleep(5);
        }
    }
}
