package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.tern.server.internal.RepositoryInferenceService;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import dev.tern.server.proto.ServerLiveRequest;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: a request in flight finishes with its answer; afterwards nothing is served. */
@ExtendWith(NoLeaks.class)
class ShutdownTest {
    @TempDir
    Path repository;

    @Test
    void requestInFlightFinishesThenServerStops() throws Exception {
        TestModels.write(repository, "slow", 1, TestModels.slow(12));
        Files.writeString(repository.resolve("slow").resolve("config.json"), "{\"intra_op_threads\": 1}");
        TestServer server = TestServer.start(InferenceServer.builder().modelRepository(repository)
                .shutdownTimeout(Duration.ofSeconds(60)));
        CompletableFuture<ModelInferResponse> inFlight;
        try {
            ModelInferRequest.Builder request = TestModels.slowRequest(TestModels.SLOW_SIZE);
            inFlight = CompletableFuture.supplyAsync(() -> server.grpc.modelInfer(request.build()));
            RepositoryInferenceService service = (RepositoryInferenceService) server.server.service();
            while (service.inFlight() == 0) {
                assertFalse(inFlight.isDone(), () -> "the request ended before it was seen running: " + inFlight);
                Thread.sleep(5);
            }
            server.server.close();
            assertFalse(server.server.service().serverLive());
        } finally {
            server.close();
        }
        ModelInferResponse response = inFlight.get(60, TimeUnit.SECONDS);
        ByteString y = response.getRawOutputContents(0);
        assertEquals(2.5f, EndToEndTest.floats(y)[5]);
        assertThrows(StatusRuntimeException.class,
                () -> server.grpc.modelInfer(ModelInferRequest.newBuilder().setModelName("slow").build()));
        assertThrows(ConnectException.class, () -> server.get("/v2/health/live"));
    }

    @Test
    void closedServerRefusesNewCallsOverGrpc() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        TestServer server = TestServer.start(repository);
        try {
            assertTrue(server.grpc.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
            server.server.close();
            StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.serverLive(ServerLiveRequest.getDefaultInstance()));
            assertEquals(io.grpc.Status.Code.UNAVAILABLE, error.getStatus().getCode());
        } finally {
            server.close();
        }
    }
}
