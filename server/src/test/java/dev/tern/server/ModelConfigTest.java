package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.ProviderUnavailableException;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelMetadataRequest;
import dev.tern.server.proto.ModelMetadataResponse;
import dev.tern.server.proto.RepositoryIndexRequest;
import dev.tern.server.proto.RepositoryIndexResponse;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** config.json's instance_count, provider and input/output overrides, through a server on loopback ports. */
@ExtendWith(NoLeaks.class)
class ModelConfigTest {
    private static final float[] X = {1, 2, 3, -1, 0, 0.5f};

    @TempDir
    Path repository;

    @Test
    void instanceCountCompilesThatManySessionsAndLeavesMetadataAlone() throws Exception {
        model("affine", "{\"instance_count\": 3}");
        model("plain", null);
        try (TestServer server = TestServer.start(repository)) {
            assertEquals(4, server.runtime.openModels(), "3 instances of affine and 1 of plain");
            for (int i = 0; i < 6; i++) {
                assertArrayEquals(TestModels.affineExpected(X), EndToEndTest.floats(
                        server.grpc.modelInfer(EndToEndTest.affineRequest().build()).getRawOutputContents(0)));
            }
            assertEquals(metadata(server, "plain").toBuilder().setName("affine").build(), metadata(server, "affine"));
        }
    }

    @Test
    void badSettingsFailTheModelNamingFileFieldAndValue() throws Exception {
        model("zero", "{\"instance_count\": 0}");
        model("many", "{\"instance_count\": 65}");
        model("tpu", "{\"provider\": \"tpu\"}");
        model("orphan", "{\"device_id\": 1}");
        model("typo", "{\"input\": [{\"name\": \"x\", \"data_type\": \"FP32\", \"dims\": [2, 3], \"format\": 1}]}");
        model("unnamed", "{\"input\": [{\"name\": \"z\", \"data_type\": \"FP32\", \"dims\": [2, 3]}]}");
        model("retyped", "{\"input\": [{\"name\": \"x\", \"data_type\": \"TYPE_INT64\", \"dims\": [2, 3]}]}");
        model("reshaped", "{\"output\": [{\"name\": \"y\", \"data_type\": \"TYPE_FP32\", \"dims\": [-1, 4]}]}");
        model("rerank", "{\"max_batch_size\": 4,"
                + " \"input\": [{\"name\": \"x\", \"data_type\": \"FP32\", \"dims\": [-1, 3]}]}");
        model("oneToken", "{\"max_sequence_length\": 1}");
        model("affine", null);
        try (TestServer server = TestServer.start(repository)) {
            RepositoryIndexResponse index = server.grpc.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
            assertFailure(index, "oneToken", "config.json", "'max_sequence_length'", "from 2", "found 1");
            assertFailure(index, "zero", "config.json", "'instance_count'", "from 1 to 64", "found 0");
            assertFailure(index, "many", "config.json", "'instance_count'", "from 1 to 64", "found 65");
            assertFailure(index, "tpu", "config.json", "'provider'", "\"tpu\"");
            assertFailure(index, "orphan", "config.json", "'device_id'", "\"cuda\"");
            assertFailure(index, "typo", "config.json", "unknown field 'input[0].format'");
            assertFailure(index, "unnamed", "config.json", "'input[0].name'", "no input 'z'", "[x, ids]");
            assertFailure(index, "retyped", "config.json", "'input[0].data_type'", "INT64", "FP32");
            assertFailure(index, "reshaped", "config.json", "'output[0].dims'", "[-1, 4]", "[-1, 2]");
            assertFailure(index, "rerank", "config.json", "'input[0].dims'", "rank 3", "max_batch_size");
            assertEquals("READY", state(index, "affine"));
        }
    }

    @Test
    void badPrioritiesAndQueuePoliciesFailTheModelNamingTheField() throws Exception {
        model("nolevels", batching("\"default_priority_level\": 1"));
        model("lowdefault", batching("\"priority_levels\": 2, \"default_priority_level\": 3"));
        model("nodefault", batching("\"priority_levels\": 2"));
        model("farlevel", batching("\"priority_levels\": 2, \"default_priority_level\": 1,"
                + " \"priority_queue_policy\": {\"3\": {\"max_queue_size\": 4}}"));
        model("action", batching("\"default_queue_policy\": {\"timeout_action\": \"DROP\"}"));
        model("unbounded", batching("\"default_queue_policy\": {\"max_queue_size\": 0}"));
        model("twice", batching("\"max_queue_size\": 4, \"default_queue_policy\": {\"max_queue_size\": 8}"));
        model("policytypo", batching("\"default_queue_policy\": {\"timeout\": 5}"));
        try (TestServer server = TestServer.start(repository)) {
            RepositoryIndexResponse index = server.grpc.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
            assertFailure(index, "nolevels", "config.json", "'priority_levels' > 0");
            assertFailure(index, "lowdefault", "'dynamic_batching.default_priority_level'", "from 1 to"
                    + " priority_levels 2", "found 3");
            assertFailure(index, "nodefault", "'dynamic_batching.default_priority_level'", "found 0");
            assertFailure(index, "farlevel", "'dynamic_batching.priority_queue_policy' keys", "from 1 to"
                    + " priority_levels 2", "found '3'");
            assertFailure(index, "action", "'dynamic_batching.default_queue_policy.timeout_action'",
                    "\"REJECT\" or \"DELAY\"", "\"DROP\"");
            assertFailure(index, "unbounded", "'dynamic_batching.default_queue_policy.max_queue_size' must be at"
                    + " least 1", "found 0");
            assertFailure(index, "twice", "'dynamic_batching.max_queue_size' and"
                    + " 'dynamic_batching.default_queue_policy' both");
            assertFailure(index, "policytypo", "unknown field 'dynamic_batching.default_queue_policy.timeout'");
        }
    }

    /** A config.json batching up to 4 rows with {@code fields} in its dynamic_batching. */
    private static String batching(String fields) {
        return "{\"max_batch_size\": 4, \"dynamic_batching\": {" + fields + "}}";
    }

    @Test
    void aDimensionFixedInTheConfigIsReportedAndEnforced() throws Exception {
        model("affine", "{\"input\": [{\"name\": \"x\", \"data_type\": \"TYPE_FP32\", \"dims\": [2, 3]},"
                + " {\"name\": \"ids\", \"data_type\": \"INT64\", \"dims\": [-1]}],"
                + " \"output\": [{\"name\": \"y\", \"data_type\": \"FP32\", \"dims\": [2, -1]}]}");
        try (TestServer server = TestServer.start(repository)) {
            ModelMetadataResponse metadata = metadata(server, "affine");
            assertEquals(List.of(2L, 3L), metadata.getInputs(0).getShapeList());
            assertEquals(List.of(-1L), metadata.getInputs(1).getShapeList());
            assertEquals(List.of(2L, 2L), metadata.getOutputs(0).getShapeList());
            assertArrayEquals(TestModels.affineExpected(X), EndToEndTest.floats(
                    server.grpc.modelInfer(EndToEndTest.affineRequest().build()).getRawOutputContents(0)));

            ModelInferRequest.Builder oneRow = ModelInferRequest.newBuilder().setModelName("affine");
            oneRow.addInputsBuilder().setName("x").setDatatype("FP32").addShape(1).addShape(3);
            oneRow.addInputsBuilder().setName("ids").setDatatype("INT64").addShape(1);
            oneRow.addRawInputContents(EndToEndTest.rawFloats(1, 2, 3)).addRawInputContents(EndToEndTest.rawLongs(7));
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.modelInfer(oneRow.build()));
            assertEquals(Code.INVALID_ARGUMENT, refused.getStatus().getCode());
            String message = refused.getStatus().getDescription();
            assertTrue(message.contains("input 'x'") && message.contains("[2, 3]") && message.contains("[1, 3]"),
                    message);
        }
    }

    /**
     * Where CUDA is missing (every CI machine), a CUDA model without fallback is unavailable with
     * the executor's reason; on a GPU machine it serves. With fallback it serves either way.
     */
    @Test
    void cudaWithoutFallbackIsUnavailableWithTheExecutorsReasonAndWithFallbackServesOnTheCpu() throws Exception {
        String executorMessage = null;
        Path file = TestModels.write(repository, "gpu", 1, TestModels.affine()).resolve("model.onnx");
        try (Runtime runtime = Runtime.create();
             CompiledModel onGpu = runtime.open(file, SessionConfig.builder().cuda(0).build())) {
            assertTrue(onGpu.inputs().size() > 0);
        } catch (ProviderUnavailableException e) {
            executorMessage = e.getMessage();
        }
        Files.writeString(repository.resolve("gpu").resolve("config.json"), "{\"provider\": \"cuda\", \"device_id\": 0}");
        model("affine", "{\"provider\": \"cuda\", \"cpu_fallback\": true}");
        try (TestServer server = TestServer.start(repository)) {
            RepositoryIndexResponse index = server.grpc.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
            if (executorMessage == null) {
                assertEquals("READY", state(index, "gpu"));
            } else {
                assertFailure(index, "gpu", executorMessage);
            }
            assertEquals("READY", state(index, "affine"));
            assertArrayEquals(TestModels.affineExpected(X), EndToEndTest.floats(
                    server.grpc.modelInfer(EndToEndTest.affineRequest().build()).getRawOutputContents(0)));
        }
    }

    @Test
    void badWarmUpSamplesFailTheModelNamingTheSampleOrField() throws Exception {
        String ids = "\"ids\": {\"data_type\": \"INT64\", \"dims\": [1], \"zero_data\": true}";
        model("warmbatch", "{\"max_batch_size\": 4, " + warmup("\"batch_size\": 5", ids));
        model("warmtwice", "{" + warmup("", "\"x\": {\"data_type\": \"FP32\", \"dims\": [1, 3],"
                + " \"zero_data\": true, \"random_data\": true}, " + ids));
        model("warmtypo", "{" + warmup("", "\"x\": {\"data_type\": \"FP32\", \"shape\": [1, 3]}"));
        model("warmstring", "{" + warmup("", "\"x\": {\"data_type\": \"TYPE_STRING\", \"dims\": [1],"
                + " \"zero_data\": true}"));
        model("warmopen", "{" + warmup("", "\"x\": {\"data_type\": \"FP32\", \"dims\": [-1, 3],"
                + " \"zero_data\": true}"));
        model("warmunknown", "{" + warmup("", "\"z\": {\"data_type\": \"FP32\", \"dims\": [1, 3],"
                + " \"zero_data\": true}, " + ids));
        model("warmmissing", "{" + warmup("", "\"x\": {\"data_type\": \"FP32\", \"dims\": [1, 3],"
                + " \"random_data\": true}"));
        model("warmtype", "{" + warmup("", "\"x\": {\"data_type\": \"INT64\", \"dims\": [1, 3],"
                + " \"zero_data\": true}, " + ids));
        try (TestServer server = TestServer.start(repository)) {
            RepositoryIndexResponse index = server.grpc.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
            assertFailure(index, "warmbatch", "'model_warmup[0].batch_size'", "from 1 to 4", "found 5");
            assertFailure(index, "warmtwice", "'model_warmup[0].inputs.x' needs exactly one of");
            assertFailure(index, "warmtypo", "unknown field 'model_warmup[0].inputs.x.shape'");
            assertFailure(index, "warmstring", "'model_warmup[0].inputs.x.data_type'", "numeric or BOOL");
            assertFailure(index, "warmopen", "'model_warmup[0].inputs.x.dims'", "fixed shape", "found -1");
            assertFailure(index, "warmunknown", "warm-up sample 's'", "no input 'z'", "[x, ids]");
            assertFailure(index, "warmmissing", "warm-up sample 's'", "no data for the model's input 'ids'");
            assertFailure(index, "warmtype", "warm-up sample 's'", "input 'x' is FP32 in the model, INT64");
        }
    }

    /** The rest of a config.json after its opening brace: one warm-up sample named "s" with {@code inputs}. */
    private static String warmup(String batchSize, String inputs) {
        return "\"model_warmup\": [{\"name\": \"s\", " + (batchSize.isEmpty() ? "" : batchSize + ", ")
                + "\"inputs\": {" + inputs + "}}]}";
    }

    /** Writes affine as {@code name} version 1, with {@code config} as its config.json unless null. */
    private void model(String name, String config) throws IOException {
        TestModels.write(repository, name, 1, TestModels.affine());
        if (config != null) {
            Files.writeString(repository.resolve(name).resolve("config.json"), config);
        }
    }

    private static ModelMetadataResponse metadata(TestServer server, String name) {
        return server.grpc.modelMetadata(ModelMetadataRequest.newBuilder().setName(name).build());
    }

    private static String state(RepositoryIndexResponse index, String name) {
        return entry(index, name).getState();
    }

    private static void assertFailure(RepositoryIndexResponse index, String name, String... parts) {
        RepositoryIndexResponse.ModelIndex entry = entry(index, name);
        assertEquals("UNAVAILABLE", entry.getState(), name);
        for (String part : parts) {
            assertTrue(entry.getReason().contains(part), name + ": '" + part + "' not in " + entry.getReason());
        }
    }

    private static RepositoryIndexResponse.ModelIndex entry(RepositoryIndexResponse index, String name) {
        return index.getModelsList().stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + index));
    }
}
