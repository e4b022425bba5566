package dev.tern.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.server.internal.rest.RestResponse;
import dev.tern.server.proto.InferParameter;
import dev.tern.server.proto.ModelInferRequest;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed corpus of {@link InferRequestFuzzTest}: for every datatype and for the two-input
 * batched model, requests a client would send, in each form (JSON, binary extension, gRPC with
 * raw or typed contents). Each seed is checked to be answered with success (or, for a datatype
 * ONNX Runtime's Java API cannot create, refused for that reason alone), then written under
 * {@code target/fuzz-seeds/}; {@code tools/fuzz.sh seeds} copies that tree into
 * {@code src/test/resources}, where the fuzz test finds it.
 */
class InferRequestFuzzSeedsTest {
    private static final Path SEEDS = Path.of("target", "fuzz-seeds", "dev", "tern", "server", "internal",
            "InferRequestFuzzTestInputs");

    private static final String UNCREATABLE = "ONNX Runtime's Java API cannot create tensors of element type";

    @TempDir
    static Path repository;
    private static InProcessEndpoints endpoints;

    @BeforeAll
    static void loadModels() throws IOException {
        endpoints = InProcessEndpoints.start(repository);
    }

    @AfterAll
    static void unloadModels() {
        endpoints.close();
    }

    @Test
    void restJsonSeedsSucceed() throws Exception {
        for (String datatype : DatatypeModels.DATATYPES) {
            Optional<String> data = SampleInputs.json(datatype);
            if (data.isPresent()) {
                restJson(DatatypeModels.modelName(datatype), "{\"inputs\": [{\"name\": \"x\", \"datatype\": \""
                        + datatype + "\", \"shape\": [3], \"data\": " + data.get() + "}]}");
            }
        }
        restJson(DatatypeModels.AFFINE, """
                {"id": "seed", "parameters": {"timeout": 10000000, "binary_data_output": false},
                 "inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 3], "data": [[1, 2, 3], [4.5, -5, 6]]},
                            {"name": "ids", "datatype": "INT64", "shape": [2], "data": [7, -8]}],
                 "outputs": [{"name": "next"}, {"name": "y", "parameters": {"binary_data": true}}]}""");
    }

    @Test
    void binaryTensorSeedsSucceed() throws Exception {
        for (String datatype : DatatypeModels.DATATYPES) {
            byte[] raw = SampleInputs.raw(datatype).toByteArray();
            String header = "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"" + datatype + "\", \"shape\": [3],"
                    + " \"parameters\": {\"binary_data_size\": " + raw.length + "}}],"
                    + " \"outputs\": [{\"name\": \"y\", \"parameters\": {\"binary_data\": true}}]}";
            binaryTensors(DatatypeModels.modelName(datatype), header, raw);
        }
        byte[] ids = SampleInputs.raw("INT64").toByteArray();
        binaryTensors(DatatypeModels.AFFINE, """
                {"parameters": {"binary_data_output": true},
                 "inputs": [{"name": "x", "datatype": "FP32", "shape": [3, 3], "data": [1, 2, 3, 4, 5, 6, 7, 8, 9]},
                            {"name": "ids", "datatype": "INT64", "shape": [3], "parameters": {"binary_data_size": %d}}]}"""
                .formatted(ids.length), ids);
    }

    @Test
    void grpcSeedsSucceed() throws Exception {
        for (String datatype : DatatypeModels.DATATYPES) {
            ModelInferRequest.Builder raw = ModelInferRequest.newBuilder().setModelName(DatatypeModels.modelName(datatype));
            raw.addInputsBuilder().setName(DatatypeModels.INPUT).setDatatype(datatype).addShape(SampleInputs.COUNT);
            raw.addRawInputContents(SampleInputs.raw(datatype));
            grpcInfer(DatatypeModels.modelName(datatype) + "-raw", raw.build());
            Optional<ModelInferRequest> typed = SampleInputs.contents(datatype).map(contents -> {
                ModelInferRequest.Builder request = raw.clone().clearRawInputContents();
                request.getInputsBuilder(0).setContents(contents);
                return request.build();
            });
            if (typed.isPresent()) {
                grpcInfer(DatatypeModels.modelName(datatype) + "-typed", typed.get());
            }
        }
        ModelInferRequest.Builder affine = ModelInferRequest.newBuilder().setModelName(DatatypeModels.AFFINE)
                .setModelVersion("1").setId("seed")
                .putParameters("timeout", InferParameter.newBuilder().setInt64Param(10_000_000).build());
        affine.addInputsBuilder().setName("x").setDatatype("FP32").addAllShape(List.of(1L, 3L))
                .getContentsBuilder().addFp32Contents(1).addFp32Contents(2).addFp32Contents(3);
        affine.addInputsBuilder().setName("ids").setDatatype("INT64").addShape(1).getContentsBuilder().addInt64Contents(9);
        affine.addOutputsBuilder().setName("y");
        grpcInfer(DatatypeModels.AFFINE, affine.build());
    }

    private static void restJson(String model, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertAnswered(model, endpoints.post("/v2/models/" + model + "/infer", null, bytes));
        write("restJson", model + ".txt", new FramedInput(List.of(model), bytes).join());
    }

    private static void binaryTensors(String model, String header, byte[] data) throws Exception {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + data.length];
        System.arraycopy(json, 0, body, 0, json.length);
        System.arraycopy(data, 0, body, json.length, data.length);
        String length = Integer.toString(json.length);
        assertAnswered(model, endpoints.post("/v2/models/" + model + "/infer", length, body));
        write("binaryTensors", model + ".bin", new FramedInput(List.of(model, length), body).join());
    }

    private static void grpcInfer(String name, ModelInferRequest request) throws Exception {
        Status status = endpoints.infer(request);
        if (runs(request.getModelName())) {
            assertEquals(Status.Code.OK, status.getCode(), name + ": " + status);
        } else {
            assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), name);
            assertTrue(status.getDescription().contains(UNCREATABLE), status.getDescription());
        }
        write("grpcInfer", name + ".pb", request.toByteArray());
    }

    /** Success, or for a model whose datatype ONNX Runtime's Java API cannot create, HTTP 400 saying so. */
    private static void assertAnswered(String model, RestResponse response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (runs(model)) {
            assertEquals(200, response.status(), model + ": " + body);
        } else {
            assertEquals(400, response.status(), model + ": " + body);
            assertTrue(body.contains(UNCREATABLE), body);
        }
    }

    private static boolean runs(String model) {
        return DatatypeModels.DATATYPES.stream().filter(datatype -> DatatypeModels.modelName(datatype).equals(model))
                .allMatch(DatatypeModels::runs);
    }

    private static void write(String target, String name, byte[] bytes) throws IOException {
        Path file = SEEDS.resolve(target).resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
