package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.server.proto.GRPCInferenceServiceGrpc;
import dev.tern.server.proto.ServerLiveRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** With a bearer token, every network request must carry it, over REST and gRPC alike. */
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
                    () -> server.grpc.serverLive(ServerLiveRequest.getDefaultInstance()));
            assertEquals(Code.UNAUTHENTICATED, none.getStatus().getCode());
            assertTrue(none.getStatus().getDescription().contains("requires 'Authorization: Bearer <token>'"));
            assertThrows(StatusRuntimeException.class, () -> withToken(server, "wrong")
                    .modelInfer(EndToEndTest.affineRequest().build()));
            assertEquals("y", withToken(server, TOKEN).modelInfer(EndToEndTest.affineRequest().build())
                    .getOutputs(0).getName());

            assertEquals(401, server.get("/v2/health/live").statusCode());
            assertEquals(401, server.get("/metrics").statusCode());
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

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub withToken(TestServer server,
                                                                                       String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return server.grpc.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static HttpResponse<String> rest(TestServer server, String authorization) throws Exception {
        return server.http.send(HttpRequest.newBuilder(server.uri("/v2/models/affine/infer"))
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(BadRequestTest.VALID_JSON)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
