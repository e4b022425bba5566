package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.util.concurrent.ListenableFuture;
import dev.tern.exec.AdapterFile;
import dev.tern.exec.CompiledModel;
import dev.tern.server.proto.GRPCInferenceServiceGrpc;
import dev.tern.server.proto.InferParameter;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import dev.tern.server.proto.ModelMetadataRequest;
import dev.tern.server.proto.ModelReadyRequest;
import dev.tern.server.proto.ModelRepositoryParameter;
import dev.tern.server.proto.ModelStatisticsRequest;
import dev.tern.server.proto.RepositoryModelLoadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA adapters served end to end: a small MLP's adapter base with three adapters of ranks 2, 3
 * and 4, chosen per request over gRPC and REST and compared with the MLP each adapter is merged
 * into; batching of mixed adapters; the errors; the metadata; and adapters loaded and unloaded
 * while their model version keeps serving.
 */
@ExtendWith(NoLeaks.class)
class LoraServingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float TOLERANCE = 1e-5f;
    /** The adapters of model "mlp" by name; null stands for no adapter, the base model alone. */
    private static final Map<String, AdapterFile> ADAPTERS = Map.of(
            "a", LoraModels.adapter(2, 1), "b", LoraModels.adapter(3, 2), "c", LoraModels.adapter(4, 3));
    private static final List<String> CHOICES = Arrays.asList(null, "a", "b", "c");
    private static final String WRONG_TYPE = "model 'mlp': parameter 'adapter' must be a string naming a LoRA adapter,"
            + " found int64_param '3'";

    @TempDir
    static Path repository;
    private static TestServer server;
    /** The MLP with each adapter merged in, by adapter name; under null the MLP itself. */
    private static final Map<String, CompiledModel> MERGED = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Path mlp = LoraModels.writeBase(repository, "mlp", 1);
        for (Map.Entry<String, AdapterFile> adapter : ADAPTERS.entrySet()) {
            LoraModels.writeAdapter(mlp, adapter.getKey(), adapter.getValue());
        }
        // Batches wait up to 20 ms for company, so that concurrent requests of several adapters meet in the queue.
        Files.writeString(repository.resolve("mlp").resolve("config.json"),
                "{\"max_batch_size\": 16, \"dynamic_batching\": {\"max_queue_delay_microseconds\": 20000}}");
        Path rescanned = LoraModels.writeBase(repository, "rescanned", 1);
        LoraModels.writeAdapter(rescanned, "a", ADAPTERS.get("a"));
        server = TestServer.start(InferenceServer.builder().modelRepository(repository)
                .modelControl(ModelControl.EXPLICIT).loadAtStart(List.of("mlp", "rescanned")));
        for (String adapter : CHOICES) {
            MERGED.put(adapter, LoraModels.compileMerged(server.runtime, adapter == null ? null : ADAPTERS.get(adapter)));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        MERGED.values().forEach(CompiledModel::close);
        server.close();
    }

    @Test
    void eachAdapterOverGrpcGivesWhatItsMergedModelGives() {
        float[] x = LoraModels.input(3, 5);
        for (String adapter : CHOICES) {
            ModelInferResponse response = server.grpc.modelInfer(request("mlp", adapter, x).build());
            assertArrayEquals(expected(adapter, x), EndToEndTest.floats(response.getRawOutputContents(0)), TOLERANCE,
                    "adapter " + adapter);
        }
    }

    @Test
    void eachAdapterOverRestGivesWhatItsMergedModelGives() throws Exception {
        float[] x = LoraModels.input(2, 6);
        for (String adapter : CHOICES) {
            HttpResponse<String> response = server.post("/v2/models/mlp/infer", restBody(adapter, x));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode data = JSON.readTree(response.body()).path("outputs").path(0).path("data");
            float[] logits = new float[data.size()];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = data.get(i).floatValue();
            }
            assertArrayEquals(expected(adapter, x), logits, TOLERANCE, "adapter " + adapter);
        }
    }

    @Test
    void concurrentRequestsForMixedAdaptersEachGetTheirOwnAnswer() throws Exception {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub async =
                GRPCInferenceServiceGrpc.newFutureStub(server.channel);
        List<ListenableFuture<ModelInferResponse>> answers = new ArrayList<>();
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            float[] x = LoraModels.input(1 + i % 3, 100 + i);
            inputs.add(x);
            answers.add(async.modelInfer(request("mlp", CHOICES.get(i % CHOICES.size()), x).build()));
        }
        for (int i = 0; i < answers.size(); i++) {
            String adapter = CHOICES.get(i % CHOICES.size());
            ModelInferResponse response = answers.get(i).get(30, TimeUnit.SECONDS);
            assertArrayEquals(expected(adapter, inputs.get(i)), EndToEndTest.floats(response.getRawOutputContents(0)),
                    TOLERANCE, "request " + i + ", adapter " + adapter);
        }
    }

    @Test
    void anUnknownAdapterIsNotFoundNamingItAndTheAdaptersThereAre() throws Exception {
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
                () -> server.grpc.modelInfer(request("mlp", "zz", LoraModels.input(1, 7)).build()));
        assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode());
        assertEquals("model 'mlp' version 1 has no adapter 'zz'; its adapters are [a, b, c]",
                error.getStatus().getDescription());

        HttpResponse<String> response = server.post("/v2/models/mlp/infer", restBody("zz", LoraModels.input(1, 7)));
        assertEquals(404, response.statusCode());
        assertEquals("model 'mlp' version 1 has no adapter 'zz'; its adapters are [a, b, c]",
                JSON.readTree(response.body()).path("error").asText());
    }

    @Test
    void anAdapterParameterThatIsNoStringIsInvalid() throws Exception {
        ModelInferRequest.Builder request = request("mlp", null, LoraModels.input(1, 8))
                .putParameters("adapter", InferParameter.newBuilder().setInt64Param(3).build());
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
                () -> server.grpc.modelInfer(request.build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
        assertEquals(WRONG_TYPE, error.getStatus().getDescription());

        String body = restBody(null, LoraModels.input(1, 8)).replace("\"parameters\": {}", "\"parameters\": {\"adapter\": 3}");
        HttpResponse<String> response = server.post("/v2/models/mlp/infer", body);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(WRONG_TYPE, JSON.readTree(response.body()).path("error").asText());
    }

    @Test
    void theMetadataListsTheAdapters() throws Exception {
        InferParameter listed = server.grpc.modelMetadata(ModelMetadataRequest.newBuilder().setName("mlp").build())
                .getParametersOrThrow("adapters");
        assertEquals("a,b,c", listed.getStringParam());

        JsonNode metadata = JSON.readTree(server.get("/v2/models/mlp").body());
        assertEquals("a,b,c", metadata.path("parameters").path("adapters").asText(), metadata.toString());
    }

    @Test
    void requestsAreCountedPerAdapter() throws Exception {
        server.grpc.modelInfer(request("mlp", "b", LoraModels.input(1, 9)).build());
        server.awaitMetrics("a request counted for adapter b", metrics -> metrics.contains(
                "tern_inference_adapter_requests_total{adapter=\"b\",model=\"mlp\",outcome=\"ok\",version=\"1\"}"));
    }

    @Test
    void adaptersLoadAndUnloadWhileTheVersionKeepsServing() throws Exception {
        Path adapters = repository.resolve("rescanned").resolve("1").resolve("adapters");
        float[] x = LoraModels.input(2, 10);
        AtomicBoolean everUnready = new AtomicBoolean();
        AtomicInteger readinessChecks = new AtomicInteger();
        Thread watcher = readinessWatcher(everUnready, readinessChecks);
        watcher.start();
        try {
            server.grpc.modelInfer(request("rescanned", "a", x).build());
            Files.delete(adapters.resolve("a.onnx_adapter"));
            AdapterFile d = LoraModels.adapter(3, 4);
            LoraModels.writeAdapter(adapters.getParent(), "d", d);

            HttpResponse<String> loaded = server.post("/v2/repository/models/rescanned/load",
                    "{\"parameters\": {\"adapters_only\": true}}");
            assertEquals(200, loaded.statusCode(), loaded.body());

            assertEquals("d", JSON.readTree(server.get("/v2/models/rescanned").body())
                    .path("parameters").path("adapters").asText());
            StatusRuntimeException gone = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.modelInfer(request("rescanned", "a", x).build()));
            assertEquals("model 'rescanned' version 1 has no adapter 'a'; its adapters are [d]",
                    gone.getStatus().getDescription());
            assertArrayEquals(LoraModels.mergedLogits(server.runtime, d, x), inferGrpc("rescanned", "d", x), TOLERANCE);

            // A changed file (another rank, so another size) loads again, over gRPC this time.
            AdapterFile newD = LoraModels.adapter(5, 12);
            LoraModels.writeAdapter(adapters.getParent(), "d", newD);
            server.grpc.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("rescanned")
                    .putParameters("adapters_only", ModelRepositoryParameter.newBuilder().setBoolParam(true).build())
                    .build());
            assertArrayEquals(LoraModels.mergedLogits(server.runtime, newD, x), inferGrpc("rescanned", "d", x),
                    TOLERANCE);
        } finally {
            watcher.interrupt();
            watcher.join();
        }
        // A reload would have started the statistics again: the version is the one that served the first request.
        assertEquals(3, server.grpc.modelStatistics(ModelStatisticsRequest.newBuilder().setName("rescanned").build())
                .getModelStats(0).getInferenceCount());
        assertTrue(readinessChecks.get() > 0);
        assertFalse(everUnready.get(), "the model version was not READY at some point during the rescans");
    }

    @Test
    void anAdaptersOnlyLoadParameterThatIsNoBooleanIsInvalid() throws Exception {
        HttpResponse<String> response = server.post("/v2/repository/models/rescanned/load",
                "{\"parameters\": {\"adapters_only\": \"yes\"}}");
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("loading model 'rescanned': parameter 'adapters_only' must be true or false, found string_param"
                + " 'yes'", JSON.readTree(response.body()).path("error").asText());
    }

    /** A thread asking whether "rescanned" is ready until interrupted, noting any "no". */
    private static Thread readinessWatcher(AtomicBoolean everUnready, AtomicInteger checks) {
        return new Thread(() -> {
            ModelReadyRequest ready = ModelReadyRequest.newBuilder().setName("rescanned").build();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    if (!server.grpc.modelReady(ready).getReady()) {
                        everUnready.set(true);
                    }
                    checks.incrementAndGet();
                } catch (StatusRuntimeException e) {
                    // An interrupt while a call waits cancels it; anything else is a failure.
                    if (!Thread.currentThread().isInterrupted()) {
                        everUnready.set(true);
                    }
                }
            }
        }, "readiness-watcher");
    }

    private static float[] inferGrpc(String model, String adapter, float[] x) {
        return EndToEndTest.floats(server.grpc.modelInfer(request(model, adapter, x).build()).getRawOutputContents(0));
    }

    private static float[] expected(String adapter, float[] x) {
        return LoraModels.logits(MERGED.get(adapter), x);
    }

    /** An inference request for {@code x} (rows of {@link LoraModels#IN}), choosing {@code adapter} unless null. */
    private static ModelInferRequest.Builder request(String model, String adapter, float[] x) {
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
        request.addInputsBuilder().setName("x").setDatatype("FP32").addShape(x.length / LoraModels.IN)
                .addShape(LoraModels.IN);
        request.addRawInputContents(EndToEndTest.rawFloats(x));
        if (adapter != null) {
            request.putParameters("adapter", InferParameter.newBuilder().setStringParam(adapter).build());
        }
        return request;
    }

    private static String restBody(String adapter, float[] x) throws IOException {
        StringBuilder data = new StringBuilder();
        for (float value : x) {
            data.append(data.length() == 0 ? "" : ", ").append(value);
        }
        String parameters = adapter == null ? "{}" : "{\"adapter\": \"" + adapter + "\"}";
        return "{\"parameters\": " + parameters + ", \"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": ["
                + x.length / LoraModels.IN + ", " + LoraModels.IN + "], \"data\": [" + data + "]}]}";
    }
}
