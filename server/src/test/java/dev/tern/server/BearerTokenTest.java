package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.server.proto.GRPCInferenceServiceGrpc;
import dev.tern.server.proto.ServerLiveRequest;
import dev.tern.server.proto.ServerMetadataRequest;
import dev.tern.server.proto.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a bearer token, every network request must carry it, over REST and gRPC alike, except
 * health checks and metrics unless those are protected too.
 */
@ExtendWith(NoLeaks.class)
class BearerTokenTest {
    private static final String TOKEN = "s3cret-token";
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @TempDir
    Path repository;

    @Test
    void requestsWithoutTheTokenAreRefused() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        try (TestServer server = TestServer.start(InferenceServer.builder().modelRepository(repository)
                .bearerToken(TOKEN))) {
            StatusRuntimeException none = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.serverMetadata(ServerMetadataRequest.getDefaultInstance()));
            assertEquals(Code.UNAUTHENTICATED, none.getStatus().getCode());
            assertTrue(none.getStatus().getDescription().contains("requires 'Authorization: Bearer <token>'"));
            assertThrows(StatusRuntimeException.class, () -> withToken(server, "wrong")
                    .modelInfer(EndToEndTest.affineRequest().build()));
            assertEquals("y", withToken(server, TOKEN).modelInfer(EndToEndTest.affineRequest().build())
                    .getOutputs(0).getName());

            assertEquals(401, server.get("/v2").statusCode());
            assertEquals(401, rest(server, "Bearer wrong").statusCode());
            assertEquals(401, rest(server, TOKEN).statusCode(), "the scheme 'Bearer ' is required");
            HttpResponse<String> allowed = rest(server, "Bearer " + TOKEN);
            assertEquals(200, allowed.statusCode(), allowed.body());

            ManagedChannel inProcess = NoLeaks.track(server.server.inProcessChannel());
            try {
                assertTrue(GRPCInferenceServiceGrpc.newBlockingStub(inProcess)
                        .serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
            } finally {
                inProcess.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void healthChecksAndMetricsNeedNoTokenByDefault() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        try (TestServer server = TestServer.start(InferenceServer.builder().modelRepository(repository)
                .bearerToken(TOKEN))) {
            assertEquals(200, server.get("/v2/health/live").statusCode());
            assertEquals(200, server.get("/v2/health/ready").statusCode());
            assertEquals(200, rest(server, "Bearer " + TOKEN).statusCode());
            HttpResponse<String> metrics = server.get("/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("tern_inference_requests_total"), metrics::body);
            assertTrue(server.grpc.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
            assertTrue(server.grpc.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());

            assertEquals(401, server.get("/v2/models/affine/ready").statusCode(), "only server health is open");
            assertEquals(401, rest(server, null).statusCode());
        }
    }

    @Test
    void protectedHealthChecksAndMetricsNeedTheToken() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        try (TestServer server = TestServer.start(InferenceServer.builder().modelRepository(repository)
                .bearerToken(TOKEN).protectHealthAndMetrics(true))) {
            for (String probe : List.of("/v2/health/live", "/v2/health/ready", "/metrics")) {
                assertEquals(401, server.get(probe).statusCode(), probe);
                HttpResponse<String> allowed = server.http.send(HttpRequest.newBuilder(server.uri(probe))
                        .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, allowed.statusCode(), probe);
            }
            StatusRuntimeException live = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.serverLive(ServerLiveRequest.getDefaultInstance()));
            assertEquals(Code.UNAUTHENTICATED, live.getStatus().getCode());
            assertTrue(withToken(server, TOKEN).serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        }
    }

    @Test
    void protectingHealthAndMetricsWithoutATokenIsRefused() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> InferenceServer.builder()
                .modelRepository(repository).protectHealthAndMetrics(true).start());
        assertTrue(refused.getMessage().contains("needs a bearer token"), refused::getMessage);
    }

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub withToken(TestServer server,
                                                                                       String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return server.grpc.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** An inference with {@code authorization} as its header, or none when it is null. */
    private static HttpResponse<String> rest(TestServer server, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/v2/models/affine/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(BadRequestTest.VALID_JSON));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return server.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
