package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.server.internal.RepositoryInferenceService;
import dev.tern.server.proto.InferTensorContents;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic batching: requests run together and get their own rows back; a full queue refuses; expired requests do not run. */
@ExtendWith(NoLeaks.class)
class BatchingTest {
    private static final Pattern RUNS = Pattern.compile(
            "tern_inference_batch_requests_count\\{model=\"(\\w+)\",version=\"1\"} (\\d+)");

    @TempDir
    Path repository;

    @Test
    void requestsQueuedBehindABusyInstanceShareOneRunAndGetTheirOwnRows() throws Exception {
        // Seconds per full run on one thread: the next requests queue while it runs.
        TestModels.write(repository, "slow", 1, TestModels.slow(48));
        Files.writeString(repository.resolve("slow").resolve("config.json"), "{\"intra_op_threads\": 1,"
                + " \"max_batch_size\": " + TestModels.SLOW_SIZE + ", \"dynamic_batching\":"
                + " {\"max_queue_delay_microseconds\": 200000}}");
        try (TestServer server = TestServer.start(repository)) {
            RepositoryInferenceService service = (RepositoryInferenceService) server.server.service();
            CompletableFuture<ModelInferResponse> running = CompletableFuture.supplyAsync(
                    () -> server.grpc.modelInfer(TestModels.slowRequest(TestModels.SLOW_SIZE).build()));
            server.awaitStartedRuns("slow", 1);
            List<CompletableFuture<ModelInferResponse>> answers = new ArrayList<>();
            List<float[]> inputs = new ArrayList<>();
            for (int request = 0; request < 8; request++) {
                int rows = 1 + request % 3;
                float[] x = new float[rows * TestModels.SLOW_SIZE];
                for (int i = 0; i < x.length; i++) {
                    x[i] = request * 10 + i % 7;
                }
                inputs.add(x);
                ModelInferRequest.Builder call = ModelInferRequest.newBuilder().setModelName("slow");
                call.addInputsBuilder().setName("x").setDatatype("FP32").addShape(rows)
                        .addShape(TestModels.SLOW_SIZE);
                call.addRawInputContents(EndToEndTest.rawFloats(x));
                answers.add(CompletableFuture.supplyAsync(() -> server.grpc.modelInfer(call.build())));
                awaitInFlight(service, request + 2);
            }
            running.get(60, TimeUnit.SECONDS);
            for (int request = 0; request < answers.size(); request++) {
                ModelInferResponse response = answers.get(request).get(60, TimeUnit.SECONDS);
                int rows = 1 + request % 3;
                assertEquals(List.of((long) rows, (long) TestModels.SLOW_SIZE), response.getOutputs(0).getShapeList());
                assertArrayEquals(inputs.get(request), EndToEndTest.floats(response.getRawOutputContents(0)));
            }
            assertEquals(2, runs(server, "slow"), "the 8 requests queued behind the running one should share one run");
        }
    }

    @Test
    void aLoneRequestRunsAtOnceInsteadOfWaitingTheQueueDelay() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        Files.writeString(repository.resolve("affine").resolve("config.json"), "{\"max_batch_size\": 16,"
                + " \"dynamic_batching\": {\"max_queue_delay_microseconds\": 2000000}}");
        try (TestServer server = TestServer.start(repository)) {
            for (int request = 0; request < 3; request++) {
                ModelInferRequest.Builder call = ModelInferRequest.newBuilder().setModelName("affine");
                call.addInputsBuilder().setName("x").setDatatype("FP32").addShape(1).addShape(3)
                        .setContents(floats(new float[] {1, 2, 3}));
                call.addInputsBuilder().setName("ids").setDatatype("INT64").addShape(1)
                        .setContents(InferTensorContents.newBuilder().addInt64Contents(7));
                long sent = System.nanoTime();
                ModelInferResponse response = server.grpc.modelInfer(call.build());
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                // A bound far below the 2 s delay: the point is that the request does not wait it out.
                assertTrue(tookMillis < 1000, "a lone request waited " + tookMillis + " ms for company");
                assertArrayEquals(TestModels.affineExpected(new float[] {1, 2, 3}),
                        EndToEndTest.floats(response.getRawOutputContents(0)));
            }
            assertEquals(3, runs(server, "affine"));
        }
    }

    @Test
    void fullQueueRefusesOverBothTransportsAndExpiredRequestsDoNotRun() throws Exception {
        // Seconds per run on one thread: the first request is still running while the others arrive.
        TestModels.write(repository, "slow", 1, TestModels.slow(48));
        Files.writeString(repository.resolve("slow").resolve("config.json"), "{\"intra_op_threads\": 1,"
                + " \"max_batch_size\": " + TestModels.SLOW_SIZE + ", \"dynamic_batching\":"
                + " {\"max_queue_delay_microseconds\": 0, \"max_queue_size\": 1}}");
        try (TestServer server = TestServer.start(repository)) {
            RepositoryInferenceService service = (RepositoryInferenceService) server.server.service();
            CompletableFuture<ModelInferResponse> running = CompletableFuture.supplyAsync(
                    () -> server.grpc.modelInfer(TestModels.slowRequest(TestModels.SLOW_SIZE).build()));
            server.awaitStartedRuns("slow", 1);
            CompletableFuture<ModelInferResponse> expiring = CompletableFuture.supplyAsync(() -> server.grpc
                    .withDeadlineAfter(300, TimeUnit.MILLISECONDS).modelInfer(TestModels.slowRequest(1).build()));
            awaitInFlight(service, 2);

            StatusRuntimeException full = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.modelInfer(TestModels.slowRequest(1).build()));
            assertEquals(Code.UNAVAILABLE, full.getStatus().getCode());
            assertTrue(full.getStatus().getDescription().contains("model 'slow' version 1: the request queue is full"
                    + " (max_queue_size 1 requests)"), full.getStatus().getDescription());
            HttpResponse<String> rest = server.post("/v2/models/slow/infer", "{\"inputs\":[{\"name\":\"x\","
                    + "\"shape\":[1," + TestModels.SLOW_SIZE + "],\"datatype\":\"FP32\",\"data\":"
                    + zerosJson(TestModels.SLOW_SIZE) + "}]}");
            assertEquals(503, rest.statusCode(), rest.body());
            assertTrue(rest.body().contains("the request queue is full"), rest.body());

            assertEquals(2.5f, EndToEndTest.floats(running.get(60, TimeUnit.SECONDS).getRawOutputContents(0))[5]);
            Throwable expired = assertThrows(Exception.class, () -> expiring.get(60, TimeUnit.SECONDS)).getCause();
            assertEquals(Code.DEADLINE_EXCEEDED, ((StatusRuntimeException) expired).getStatus().getCode());
            awaitInFlight(service, 0);
            assertEquals(1, runs(server, "slow"), "the expired request must not run");
        }
    }

    private static long runs(TestServer server, String model) throws Exception {
        Matcher runs = RUNS.matcher(server.get("/metrics").body());
        while (runs.find()) {
            if (runs.group(1).equals(model)) {
                return Long.parseLong(runs.group(2));
            }
        }
        throw new AssertionError("no batch metrics for " + model);
    }

    private static void awaitInFlight(RepositoryInferenceService service, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (service.inFlight() != count) {
            assertTrue(System.nanoTime() < deadline, "never saw " + count + " requests in flight");
            Thread.sleep(5);
        }
    }

    private static String zerosJson(int count) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "0" : ",0");
        }
        return json.append(']').toString();
    }

    private static InferTensorContents floats(float[] values) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (float value : values) {
            contents.addFp32Contents(value);
        }
        return contents.build();
    }
}
