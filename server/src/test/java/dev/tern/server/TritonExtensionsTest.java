package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.server.proto.DataType;
import dev.tern.server.proto.InferBatchStatistics;
import dev.tern.server.proto.InferStatistics;
import dev.tern.server.proto.ModelConfig;
import dev.tern.server.proto.ModelConfigRequest;
import dev.tern.server.proto.ModelInstanceGroup;
import dev.tern.server.proto.ModelStatistics;
import dev.tern.server.proto.ModelStatisticsRequest;
import dev.tern.server.proto.ModelStatisticsResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's model configuration and statistics extensions over gRPC and REST, and Triton's
 * metric names, for what the affine model's requests actually did.
 */
@ExtendWith(NoLeaks.class)
class TritonExtensionsTest {
    private static final String BATCHING = """
            {"max_batch_size": 16, "instance_count": 2,
             "dynamic_batching": {"max_queue_delay_microseconds": 100, "preferred_batch_size": [8, 4],
                                  "max_queue_size": 64}}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path repository;

    @Test
    void modelConfigIsTheEffectiveConfiguration() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        Files.writeString(repository.resolve("affine").resolve("config.json"), BATCHING);
        try (TestServer server = TestServer.start(repository)) {
            ModelConfig config = server.grpc.modelConfig(ModelConfigRequest.newBuilder().setName("affine").build())
                    .getConfig();

            assertEquals("affine", config.getName());
            assertEquals("onnxruntime_onnx", config.getPlatform());
            assertEquals("onnxruntime", config.getBackend());
            assertEquals(16, config.getMaxBatchSize());
            assertEquals("x", config.getInput(0).getName());
            assertEquals(DataType.TYPE_FP32, config.getInput(0).getDataType());
            assertEquals(List.of(3L), config.getInput(0).getDimsList(), "dims leave out the batch dimension");
            assertEquals(DataType.TYPE_INT64, config.getInput(1).getDataType());
            assertEquals(List.of(), config.getInput(1).getDimsList());
            assertEquals(List.of("y", "next"), config.getOutputList().stream().map(o -> o.getName()).toList());
            assertEquals(List.of(4, 8), config.getDynamicBatching().getPreferredBatchSizeList());
            assertEquals(100, config.getDynamicBatching().getMaxQueueDelayMicroseconds());
            assertEquals(64, config.getDynamicBatching().getDefaultQueuePolicy().getMaxQueueSize());
            assertEquals(ModelInstanceGroup.Kind.KIND_CPU, config.getInstanceGroup(0).getKind());
            assertEquals(2, config.getInstanceGroup(0).getCount());
            assertFalse(config.getResponseCache().getEnable());

            JsonNode rest = JSON.readTree(server.get("/v2/models/affine/versions/1/config").body());
            assertEquals("affine", rest.path("name").asText());
            assertEquals(16, rest.path("max_batch_size").asInt());
            assertEquals("TYPE_FP32", rest.path("input").get(0).path("data_type").asText());
            assertEquals("[3]", rest.path("input").get(0).path("dims").toString());
            assertEquals("[4,8]", rest.path("dynamic_batching").path("preferred_batch_size").toString());
            assertEquals("KIND_CPU", rest.path("instance_group").get(0).path("kind").asText());
            assertFalse(rest.path("response_cache").path("enable").asBoolean(true));
        }
    }

    @Test
    void statisticsCountWhatTheRequestsDid() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        try (TestServer server = TestServer.start(repository)) {
            long before = System.currentTimeMillis();
            for (int i = 0; i < 3; i++) {
                server.grpc.modelInfer(EndToEndTest.affineRequest().build());
            }
            assertThrows(StatusRuntimeException.class, () -> server.grpc.modelInfer(
                    EndToEndTest.affineRequest().setInputs(1, EndToEndTest.affineRequest().getInputs(1).toBuilder()
                            .setDatatype("INT32")).build()));
            long after = System.currentTimeMillis();

            ModelStatisticsResponse response = server.grpc.modelStatistics(
                    ModelStatisticsRequest.newBuilder().setName("affine").build());

            assertEquals(1, response.getModelStatsCount());
            ModelStatistics stats = response.getModelStats(0);
            assertEquals("affine", stats.getName());
            assertEquals("1", stats.getVersion());
            assertTrue(stats.getLastInference() >= before && stats.getLastInference() <= after,
                    () -> "last_inference " + stats.getLastInference() + " outside [" + before + ", " + after + "]");
            // A model that does not batch counts one inference per request, as Triton does.
            assertEquals(3, stats.getInferenceCount());
            assertEquals(3, stats.getExecutionCount());
            InferStatistics inference = stats.getInferenceStats();
            assertEquals(3, inference.getSuccess().getCount());
            assertEquals(1, inference.getFail().getCount());
            assertEquals(3, inference.getQueue().getCount());
            assertEquals(3, inference.getComputeInput().getCount());
            assertEquals(3, inference.getComputeInfer().getCount());
            assertEquals(3, inference.getComputeOutput().getCount());
            assertTrue(inference.getComputeInfer().getNs() > 0);
            assertTrue(inference.getSuccess().getNs() >= inference.getQueue().getNs()
                    + inference.getComputeInfer().getNs(), inference::toString);
            assertEquals(0, inference.getCacheHit().getCount());
            InferBatchStatistics batch = stats.getBatchStats(0);
            assertEquals(1, stats.getBatchStatsCount());
            assertEquals(1, batch.getBatchSize());
            assertEquals(3, batch.getComputeInfer().getCount());

            JsonNode rest = JSON.readTree(server.get("/v2/models/affine/stats").body());
            JsonNode restStats = rest.path("model_stats").get(0);
            assertEquals(3, restStats.path("inference_count").asLong());
            assertEquals(1, restStats.path("inference_stats").path("fail").path("count").asLong());
            assertEquals(stats.getLastInference(), restStats.path("last_inference").asLong());
            assertEquals(1, restStats.path("batch_stats").get(0).path("batch_size").asLong());
        }
    }

    @Test
    void batchedRequestsCountTheirRowsAsInferences() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        Files.writeString(repository.resolve("affine").resolve("config.json"), BATCHING);
        try (TestServer server = TestServer.start(repository)) {
            server.grpc.modelInfer(EndToEndTest.affineRequest().build());
            server.grpc.modelInfer(EndToEndTest.affineRequest().build());

            ModelStatistics stats = server.grpc.modelStatistics(ModelStatisticsRequest.getDefaultInstance())
                    .getModelStats(0);

            assertEquals(4, stats.getInferenceCount(), "two requests of two rows each");
            long runs = stats.getBatchStatsList().stream().mapToLong(b -> b.getComputeInfer().getCount()).sum();
            long rows = stats.getBatchStatsList().stream()
                    .mapToLong(b -> b.getBatchSize() * b.getComputeInfer().getCount()).sum();
            assertEquals(stats.getExecutionCount(), runs);
            assertEquals(4, rows);
        }
    }

    @Test
    void statisticsOfAnUnknownModelAreNotFound() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        try (TestServer server = TestServer.start(repository)) {
            StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () ->
                    server.grpc.modelStatistics(ModelStatisticsRequest.newBuilder().setName("nope").build()));
            assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode());
            assertEquals(404, server.get("/v2/models/nope/stats").statusCode());
        }
    }

    @Test
    void metricsCarryTritonsNames() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        try (TestServer server = TestServer.start(repository)) {
            server.grpc.modelInfer(EndToEndTest.affineRequest().build());
            server.grpc.modelInfer(EndToEndTest.affineRequest().build());

            String text = server.get("/metrics").body();

            String labels = "{model=\"affine\",version=\"1\"} ";
            assertTrue(text.contains("# TYPE nv_inference_request_success counter\n"), text);
            assertTrue(text.contains("nv_inference_request_success" + labels + "2\n"), text);
            assertTrue(text.contains("nv_inference_request_failure" + labels + "0\n"), text);
            assertTrue(text.contains("nv_inference_count" + labels + "2\n"), text);
            assertTrue(text.contains("nv_inference_exec_count" + labels + "2\n"), text);
            assertTrue(text.contains("nv_inference_pending_request_count" + labels + "0\n"), text);
            assertTrue(text.contains("nv_inference_request_duration_us" + labels), text);
            assertTrue(text.contains("nv_inference_queue_duration_us" + labels), text);
            assertTrue(text.contains("nv_inference_compute_infer_duration_us" + labels), text);
            assertTrue(text.contains("tern_inference_requests_total{model=\"affine\",outcome=\"ok\",version=\"1\"} 2"),
                    "the tern_* metrics stay: " + text);
        }
    }
}
