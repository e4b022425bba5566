package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.server.internal.RepositoryInferenceService;
import dev.tern.server.proto.ModelInferResponse;
import dev.tern.server.proto.ModelMetadataRequest;
import dev.tern.server.proto.ServerLiveRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model without dynamic batching runs on its own workers, not on the transport's thread: the
 * other calls of the same gRPC connection go on during a run, and each instance runs a request.
 * Every call here shares the fixture's one channel, so one HTTP/2 connection. The slow model
 * takes seconds per run on one thread; what ran when is read from the server's metrics.
 */
@ExtendWith(NoLeaks.class)
class UnbatchedServingTest {
    private static final String COMPUTE_COUNT = "tern_inference_compute_seconds_count{model=\"slow\",version=\"1\"}";

    @TempDir
    Path repository;

    @Test
    void livenessAndMetadataOnTheSameChannelAnswerWhileAnInferenceRuns() throws Exception {
        writeSlowModel("{\"intra_op_threads\": 1}");
        try (TestServer server = TestServer.start(repository)) {
            CompletableFuture<ModelInferResponse> inference = CompletableFuture.supplyAsync(
                    () -> server.grpc.modelInfer(TestModels.slowRequest(TestModels.SLOW_SIZE).build()));
            server.awaitStartedRuns("slow", 1);

            assertTrue(server.grpc.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
            assertEquals("slow", server.grpc.modelMetadata(ModelMetadataRequest.newBuilder().setName("slow").build())
                    .getName());
            assertFalse(inference.isDone(), "the inference ended before the other calls were answered");
            assertEquals(1, ((RepositoryInferenceService) server.server.service()).inFlight());

            assertEquals(2.5f, EndToEndTest.floats(inference.get(60, TimeUnit.SECONDS).getRawOutputContents(0))[5]);
        }
    }

    @Test
    void twoInstancesRunTwoInferencesFromOneChannelAtOnce() throws Exception {
        writeSlowModel("{\"intra_op_threads\": 1, \"instance_count\": 2}");
        try (TestServer server = TestServer.start(repository)) {
            int rows = TestModels.SLOW_SIZE / 4;
            CompletableFuture<ModelInferResponse> first = CompletableFuture.supplyAsync(
                    () -> server.grpc.modelInfer(TestModels.slowRequest(rows).build()));
            CompletableFuture<ModelInferResponse> second = CompletableFuture.supplyAsync(
                    () -> server.grpc.modelInfer(TestModels.slowRequest(rows).build()));

            // A run's compute time is recorded when it ends: both started and none ended means both ran at once.
            String metrics = server.awaitStartedRuns("slow", 2);
            assertFalse(metrics.contains(COMPUTE_COUNT), "a run ended before the second one started:\n" + metrics);

            for (CompletableFuture<ModelInferResponse> answer : List.of(first, second)) {
                assertEquals(2.5f, EndToEndTest.floats(answer.get(60, TimeUnit.SECONDS).getRawOutputContents(0))[5]);
            }
        }
    }

    private void writeSlowModel(String config) throws Exception {
        TestModels.write(repository, "slow", 1, TestModels.slow(12));
        Files.writeString(repository.resolve("slow").resolve("config.json"), config);
    }
}
