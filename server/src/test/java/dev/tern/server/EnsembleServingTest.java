package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.server.proto.InferTensorContents;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import dev.tern.server.proto.ModelStatisticsRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Triton-style ensemble served as one model: a preprocessing model ("scale", x / 2) feeding
 * the affine classifier, over REST and gRPC, each step through its member's own scheduler; the
 * ensembles that fail to load, with the reason the index gives; and an ensemble that waits for a
 * member, loading once the member does.
 */
@ExtendWith(NoLeaks.class)
class EnsembleServingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float[] RAW = {2, 4, 6, -2, 0, 1};
    /** The affine model's input after "scale": RAW / 2. */
    private static final float[] SCALED = {1, 2, 3, -1, 0, 0.5f};
    /** The steps listed classifier first: the order to run them in comes from the tensors. */
    private static final String PIPELINE = """
            {"platform": "ensemble", "max_batch_size": 0,
             "input": [{"name": "raw", "data_type": "TYPE_FP32", "dims": [-1, 3]},
                       {"name": "ids", "data_type": "TYPE_INT64", "dims": [-1]}],
             "output": [{"name": "scores", "data_type": "TYPE_FP32", "dims": [-1, 2]},
                        {"name": "next_ids", "data_type": "TYPE_INT64", "dims": [-1]}],
             "ensemble_scheduling": {"step": [
               {"model_name": "affine", "model_version": 1,
                "input_map": {"x": "scaled", "ids": "ids"}, "output_map": {"y": "scores", "next": "next_ids"}},
               {"model_name": "scale", "model_version": -1,
                "input_map": {"x": "raw"}, "output_map": {"y": "scaled"}}]}}
            """;

    @TempDir
    Path repository;

    /** {@code y = x * 0.5} over {@code x: FP32[batch, 3]}. */
    private static Model scale() {
        GraphBuilder g = GraphBuilder.create("scale");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        g.output(g.op("Mul", x, g.initializer(Tensor.ofFloats("half", new long[] {}, 0.5f))), "y");
        return g.toModel(21);
    }

    private void writeMembers() throws Exception {
        TestModels.write(repository, "scale", 1, scale());
        TestModels.write(repository, "affine", 1, TestModels.affine());
        Files.writeString(Files.createDirectories(repository.resolve("affine")).resolve("config.json"),
                "{\"max_batch_size\": 8, \"dynamic_batching\": {\"max_queue_delay_microseconds\": 100}}");
    }

    private void writeEnsemble(String name, String config) throws Exception {
        Files.writeString(Files.createDirectories(repository.resolve(name)).resolve("config.json"), config);
    }

    @Test
    void anEnsembleAnswersOverRestAndGrpcWithItsMembersRunningAndCounted() throws Exception {
        writeMembers();
        writeEnsemble("pipeline", PIPELINE);
        try (TestServer server = TestServer.start(repository)) {
            HttpResponse<String> metadata = server.get("/v2/models/pipeline");
            assertEquals(200, metadata.statusCode(), metadata.body());
            JsonNode model = JSON.readTree(metadata.body());
            assertEquals("ensemble", model.get("platform").asText());
            assertEquals("raw", model.get("inputs").get(0).get("name").asText());
            assertEquals("[-1,3]", model.get("inputs").get(0).get("shape").toString());
            assertEquals("scores", model.get("outputs").get(0).get("name").asText());

            HttpResponse<String> rest = server.post("/v2/models/pipeline/infer", "{\"inputs\":["
                    + "{\"name\":\"raw\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[2,4,6,-2,0,1]},"
                    + "{\"name\":\"ids\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[7,9]}]}");
            assertEquals(200, rest.statusCode(), rest.body());
            JsonNode outputs = JSON.readTree(rest.body()).get("outputs");
            assertEquals("scores", outputs.get(0).get("name").asText());
            float[] expected = TestModels.affineExpected(SCALED);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], outputs.get(0).get("data").get(i).floatValue(), 1e-6);
            }
            assertEquals("[8,10]", outputs.get(1).get("data").toString());

            ModelInferResponse grpc = server.grpc.modelInfer(request().build());
            assertEquals("pipeline", grpc.getModelName());
            assertArrayEquals(expected, EndToEndTest.floats(grpc.getRawOutputContents(0)));
            assertArrayEquals(new long[] {8, 10}, EndToEndTest.longs(grpc.getRawOutputContents(1)));

            for (String name : new String[] {"pipeline", "scale", "affine"}) {
                long inferences = server.grpc.modelStatistics(ModelStatisticsRequest.newBuilder().setName(name).build())
                        .getModelStats(0).getInferenceStats().getSuccess().getCount();
                assertEquals(2, inferences, name + ": one success per ensemble request");
            }
        }
    }

    @Test
    void anUnknownMemberFailsTheEnsemblesLoadNamingIt() throws Exception {
        writeMembers();
        writeEnsemble("pipeline", PIPELINE.replace("\"scale\"", "\"resize\""));
        assertLoadFails("ensemble model 'pipeline': 'ensemble_scheduling.step[1]' runs member model 'resize' (its"
                + " newest version): no model 'resize' is loaded; loaded models are [affine, scale]");
    }

    @Test
    void aMemberVersionThatIsNotLoadedFailsTheLoad() throws Exception {
        writeMembers();
        writeEnsemble("pipeline", PIPELINE.replace("\"model_version\": 1", "\"model_version\": 2"));
        assertLoadFails("ensemble model 'pipeline': 'ensemble_scheduling.step[0]' runs member model 'affine'"
                + " version 2: model 'affine' has no version 2; loaded versions are [1]");
    }

    @Test
    void anInputTheMemberLacksFailsTheLoad() throws Exception {
        writeMembers();
        writeEnsemble("pipeline", PIPELINE.replace("\"x\": \"scaled\"", "\"features\": \"scaled\""));
        assertLoadFails("ensemble model 'pipeline': 'ensemble_scheduling.step[0].input_map' names input 'features'"
                + " of member model 'affine' version 1, which has no such input; its inputs are [ids, x]");
    }

    @Test
    void anOutputTheMemberLacksFailsTheLoad() throws Exception {
        writeMembers();
        writeEnsemble("pipeline", PIPELINE.replace("\"y\": \"scaled\"", "\"out\": \"scaled\""));
        assertLoadFails("ensemble model 'pipeline': 'ensemble_scheduling.step[1].output_map' names output 'out'"
                + " of member model 'scale' version 1, which has no such output; its outputs are [y]");
    }

    @Test
    void aMemberThatFailedToLoadFailsTheEnsembleWithItsReason() throws Exception {
        writeMembers();
        Files.writeString(repository.resolve("scale").resolve("1").resolve("model.onnx"), "not a model");
        writeEnsemble("pipeline", PIPELINE);
        assertLoadFails("ensemble model 'pipeline': 'ensemble_scheduling.step[1]' runs member model 'scale' (its"
                + " newest version): model 'scale' failed to load: ");
    }

    @Test
    void withPollingTheEnsembleLoadsOnceItsMissingMemberAppears() throws Exception {
        writeMembers();
        // Moved aside before the server starts, moved back with one rename so no poll sees half a folder.
        Files.move(repository.resolve("scale"), repository.resolve(".scale"));
        writeEnsemble("pipeline", PIPELINE);
        try (TestServer server = TestServer.start(InferenceServer.builder().modelRepository(repository)
                .modelControl(ModelControl.POLL).pollInterval(Duration.ofMillis(50)))) {
            assertTrue(pipelineIndexEntry(server).get("reason").asText().contains("member model 'scale'"));

            Files.move(repository.resolve(".scale"), repository.resolve("scale"));
            awaitReady(server);
            assertArrayEquals(TestModels.affineExpected(SCALED),
                    EndToEndTest.floats(server.grpc.modelInfer(request().build()).getRawOutputContents(0)));
        }
    }

    @Test
    void withExplicitControlLoadingTheMembersLoadsTheWaitingEnsemble() throws Exception {
        writeMembers();
        writeEnsemble("pipeline", PIPELINE);
        try (TestServer server = TestServer.start(InferenceServer.builder().modelRepository(repository)
                .modelControl(ModelControl.EXPLICIT).loadAtStart(List.of("pipeline")))) {
            // The scale step runs first, so it is checked first.
            assertTrue(pipelineIndexEntry(server).get("reason").asText().contains("no model 'scale' is loaded"));

            assertEquals(200, server.post("/v2/repository/models/scale/load", "").statusCode());
            assertTrue(pipelineIndexEntry(server).get("reason").asText().contains("no model 'affine' is loaded"),
                    "the ensemble was tried again, and now waits for its other member");
            assertEquals(200, server.post("/v2/repository/models/affine/load", "").statusCode());
            assertEquals("READY", pipelineIndexEntry(server).get("state").asText());
            assertArrayEquals(TestModels.affineExpected(SCALED),
                    EndToEndTest.floats(server.grpc.modelInfer(request().build()).getRawOutputContents(0)));
        }
    }

    @Test
    void aTensorConsumedButNeverProducedFailsTheLoad() throws Exception {
        writeMembers();
        writeEnsemble("pipeline", PIPELINE.replace("\"x\": \"scaled\"", "\"x\": \"normalized\""));
        assertLoadFails("ensemble tensor 'normalized' is consumed but never produced");
    }

    @Test
    void stepsWaitingOnEachOtherFailTheLoad() throws Exception {
        writeMembers();
        writeEnsemble("pipeline", PIPELINE.replace("\"x\": \"raw\"", "\"x\": \"scores\""));
        assertLoadFails("form a cycle");
    }

    /**
     * The pipeline does not serve, the index says why (containing {@code reason}) for its version
     * or, for a bad config, the model as a whole, and its members still serve.
     */
    private void assertLoadFails(String reason) throws Exception {
        try (TestServer server = TestServer.start(repository)) {
            JsonNode entry = pipelineIndexEntry(server);
            assertEquals("UNAVAILABLE", entry.get("state").asText());
            assertTrue(entry.get("reason").asText().contains(reason), entry::toString);
            assertEquals(503, server.get("/v2/models/pipeline/ready").statusCode());
            assertEquals(200, server.get("/v2/models/affine/ready").statusCode());
        }
    }

    /** The pipeline's one entry in the repository index. */
    private static JsonNode pipelineIndexEntry(TestServer server) throws Exception {
        JsonNode index = JSON.readTree(server.post("/v2/repository/index", "{}").body());
        List<JsonNode> entries = new ArrayList<>();
        index.forEach(entry -> {
            if (entry.get("name").asText().equals("pipeline")) {
                entries.add(entry);
            }
        });
        assertEquals(1, entries.size(), index::toString);
        return entries.get(0);
    }

    private static void awaitReady(TestServer server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.get("/v2/models/pipeline/ready").statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "the pipeline never became ready after its member appeared");
            Thread.sleep(20);
        }
    }

    private static ModelInferRequest.Builder request() {
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("pipeline");
        InferTensorContents.Builder raw = InferTensorContents.newBuilder();
        for (float value : RAW) {
            raw.addFp32Contents(value);
        }
        request.addInputsBuilder().setName("raw").setDatatype("FP32").addShape(2).addShape(3).setContents(raw);
        request.addInputsBuilder().setName("ids").setDatatype("INT64").addShape(2)
                .setContents(InferTensorContents.newBuilder().addInt64Contents(7).addInt64Contents(9));
        return request;
    }
}
