package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.tern.server.proto.InferStatistics;
import dev.tern.server.proto.ModelConfigRequest;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import dev.tern.server.proto.ModelStatistics;
import dev.tern.server.proto.ModelStatisticsRequest;
import dev.tern.server.proto.RepositoryModelLoadRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response cache over gRPC and REST: opt-in per model and sized per server, keyed by the
 * request's tensors whatever their encoding, evicting the least recently used answer beyond its
 * bound, cleared by a reload, and counted in Triton's statistics and metrics.
 */
@ExtendWith(NoLeaks.class)
class ResponseCacheTest {
    private static final String CACHED = "{\"response_cache\": {\"enable\": true}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path repository;

    @BeforeEach
    void writeModels() throws Exception {
        TestModels.write(repository, "cached", 1, TestModels.affine());
        Files.writeString(repository.resolve("cached").resolve("config.json"), CACHED);
        TestModels.write(repository, "plain", 1, TestModels.affine());
    }

    @Test
    void anIdenticalRequestIsAnsweredFromTheCacheWhateverItsTransportAndOtherBytesMiss() throws Exception {
        try (TestServer server = TestServer.start(InferenceServer.builder().modelRepository(repository)
                .responseCacheBytes(1 << 20))) {
            server.grpc.modelInfer(request("cached", 1).setId("first").build());
            ModelInferResponse hit = server.grpc.modelInfer(request("cached", 1).setId("second").build());
            assertEquals("second", hit.getId(), "a cached answer carries its own request's id");
            assertArrayEquals(TestModels.affineExpected(new float[] {1, 2, 3}),
                    EndToEndTest.floats(hit.getRawOutputContents(0)));
            HttpResponse<String> rest = server.post("/v2/models/cached/infer", restBody(1));
            assertEquals(200, rest.statusCode(), rest.body());
            assertEquals(JSON.readTree("[22.5, 27.0]"), JSON.readTree(rest.body()).path("outputs").get(0).path("data"));
            server.grpc.modelInfer(request("cached", 2).build());
            server.grpc.modelInfer(request("plain", 1).build());
            server.grpc.modelInfer(request("plain", 1).build());

            InferStatistics cached = statistics(server, "cached").getInferenceStats();
            assertEquals(2, cached.getCacheHit().getCount(), "the same tensors in gRPC and in JSON");
            assertEquals(2, cached.getCacheMiss().getCount(), "the first request and other bytes");
            assertEquals(4, cached.getSuccess().getCount());
            assertEquals(2, statistics(server, "cached").getExecutionCount(), "hits do not run the model");
            InferStatistics plain = statistics(server, "plain").getInferenceStats();
            assertEquals(0, plain.getCacheHit().getCount() + plain.getCacheMiss().getCount(),
                    "a model without response_cache does not cache");
            assertEquals(2, statistics(server, "plain").getExecutionCount());
            JsonNode restStatistics = JSON.readTree(server.get("/v2/models/cached/stats").body());
            assertEquals(2, restStatistics.path("model_stats").get(0).path("inference_stats").path("cache_hit")
                    .path("count").asInt());

            String metrics = server.get("/metrics").body();
            assertTrue(metrics.contains("nv_cache_num_hits_per_model{model=\"cached\",version=\"1\"} 2\n"), metrics);
            assertTrue(metrics.contains("nv_cache_num_misses_per_model{model=\"cached\",version=\"1\"} 2\n"), metrics);
            assertTrue(metrics.contains("nv_cache_num_hits_per_model{model=\"plain\",version=\"1\"} 0\n"), metrics);
            assertEquals(2, metric(metrics, "tern_response_cache_entries"));
            assertTrue(server.grpc.modelConfig(ModelConfigRequest.newBuilder().setName("cached").build())
                    .getConfig().getResponseCache().getEnable());
            assertFalse(server.grpc.modelConfig(ModelConfigRequest.newBuilder().setName("plain").build())
                    .getConfig().getResponseCache().getEnable());
        }
    }

    @Test
    void aServerWithoutACacheSizeCachesNothing() throws Exception {
        try (TestServer server = TestServer.start(repository)) {
            server.grpc.modelInfer(request("cached", 1).build());
            server.grpc.modelInfer(request("cached", 1).build());

            ModelStatistics cached = statistics(server, "cached");
            assertEquals(2, cached.getExecutionCount());
            assertEquals(0, cached.getInferenceStats().getCacheHit().getCount());
            assertEquals(0, cached.getInferenceStats().getCacheMiss().getCount());
        }
    }

    @Test
    void theLeastRecentlyUsedAnswerIsEvictedBeyondTheBound() throws Exception {
        long bound = 480;
        try (TestServer server = TestServer.start(InferenceServer.builder().modelRepository(repository)
                .responseCacheBytes(bound))) {
            ModelInferResponse first = server.grpc.modelInfer(request("cached", 1).build());
            // An entry is charged its answer (without the id) and 128 bytes of bookkeeping.
            long entry = first.toBuilder().clearId().build().getSerializedSize() + 128;
            assertTrue(2 * entry <= bound && bound < 3 * entry, "the bound holds two answers of " + entry + " bytes");
            server.grpc.modelInfer(request("cached", 2).build());
            server.grpc.modelInfer(request("cached", 1).build());
            server.grpc.modelInfer(request("cached", 3).build());

            String metrics = server.get("/metrics").body();
            assertEquals(2, metric(metrics, "tern_response_cache_entries"));
            assertEquals(2 * entry, metric(metrics, "tern_response_cache_bytes"));
            assertEquals(1, metric(metrics, "tern_response_cache_evictions_total"));
            server.grpc.modelInfer(request("cached", 1).build());
            server.grpc.modelInfer(request("cached", 2).build());
            InferStatistics statistics = statistics(server, "cached").getInferenceStats();
            assertEquals(2, statistics.getCacheHit().getCount(), "1 twice; 2 was the least recently used");
            assertEquals(4, statistics.getCacheMiss().getCount());
        }
    }

    @Test
    void reloadingAModelClearsItsAnswers() throws Exception {
        try (TestServer server = TestServer.start(InferenceServer.builder().modelRepository(repository)
                .modelControl(ModelControl.EXPLICIT).loadAtStart(List.of("cached")).responseCacheBytes(1 << 20))) {
            server.grpc.modelInfer(request("cached", 1).build());
            server.grpc.modelInfer(request("cached", 1).build());
            assertEquals(1, metric(server.get("/metrics").body(), "tern_response_cache_entries"));

            server.grpc.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("cached").build());
            assertEquals(0, metric(server.get("/metrics").body(), "tern_response_cache_entries"));
            server.grpc.modelInfer(request("cached", 1).build());
            InferStatistics reloaded = statistics(server, "cached").getInferenceStats();
            assertEquals(0, reloaded.getCacheHit().getCount(), "the reloaded version ran the request again");
            assertEquals(1, reloaded.getCacheMiss().getCount());
        }
    }

    /** A one-row request to the affine model {@code model} with x = [first, 2, 3] and ids = [7], raw. */
    private static ModelInferRequest.Builder request(String model, float first) {
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
        request.addInputsBuilder().setName("x").setDatatype("FP32").addShape(1).addShape(3);
        request.addInputsBuilder().setName("ids").setDatatype("INT64").addShape(1);
        request.addRawInputContents(EndToEndTest.rawFloats(first, 2, 3));
        request.addRawInputContents(ByteString.copyFrom(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0, 7).array()));
        return request;
    }

    /** {@link #request} as JSON, the tensors' values in lists. */
    private static String restBody(float first) {
        return "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [" + first
                + ", 2, 3]}, {\"name\": \"ids\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [7]}]}";
    }

    private static ModelStatistics statistics(TestServer server, String model) {
        return server.grpc.modelStatistics(ModelStatisticsRequest.newBuilder().setName(model).build())
                .getModelStats(0);
    }

    /** The value of the unlabelled sample {@code name} in a Prometheus scrape. */
    private static long metric(String metrics, String name) {
        Matcher sample = Pattern.compile("(?m)^" + name + " ([0-9.Ee+]+)$").matcher(metrics);
        assertTrue(sample.find(), () -> "no " + name + " in " + metrics);
        return (long) Double.parseDouble(sample.group(1));
    }
}
