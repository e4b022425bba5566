package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.tern.server.proto.InferTensorContents;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelMetadataRequest;
import dev.tern.server.proto.ModelReadyRequest;
import dev.tern.server.proto.RepositoryIndexRequest;
import dev.tern.server.proto.RepositoryModelLoadRequest;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests a client may get wrong, over both transports: each is answered with the right
 * status and a message naming what is wrong, and the server keeps serving afterwards.
 */
@ExtendWith(NoLeaks.class)
class BadRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE_BYTES = 1 << 20;

    @TempDir
    static Path repository;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        TestModels.standardRepository(repository);
        server = TestServer.start(InferenceServer.builder().modelRepository(repository)
                .maxMessageBytes(MAX_MESSAGE_BYTES));
    }

    @AfterAll
    static void stillServesThenStop() throws Exception {
        try {
            assertArrayEquals(TestModels.affineExpected(new float[] {1, 2, 3, -1, 0, 0.5f}), EndToEndTest.floats(
                    server.grpc.modelInfer(EndToEndTest.affineRequest().build()).getRawOutputContents(0)));
            assertEquals(200, server.post("/v2/models/affine/infer", VALID_JSON).statusCode());
        } finally {
            server.close();
        }
    }

    static Stream<Arguments> grpcInferCases() {
        return Stream.of(
                grpc("unknown model", r -> r.setModelName("nosuch"), Code.NOT_FOUND, "no model 'nosuch' is loaded"),
                grpc("unknown version", r -> r.setModelVersion("9"), Code.NOT_FOUND, "has no version 9"),
                grpc("malformed version", r -> r.setModelVersion("v1"), Code.INVALID_ARGUMENT,
                        "version must be a positive integer, found 'v1'"),
                grpc("model name with path", r -> r.setModelName("../affine"), Code.INVALID_ARGUMENT,
                        "'../affine' is not a valid model name"),
                grpc("model that failed to load", r -> r.setModelName("broken"), Code.UNAVAILABLE,
                        "model 'broken' failed to load"),
                grpc("unknown input name", r -> r.getInputsBuilder(0).setName("z"), Code.INVALID_ARGUMENT,
                        "has no input 'z'; its inputs are [x, ids]"),
                grpc("missing input", r -> r.removeInputs(1), Code.INVALID_ARGUMENT,
                        "needs input 'ids', which the request lacks"),
                grpc("no inputs", ModelInferRequest.Builder::clearInputs, Code.INVALID_ARGUMENT, "needs input 'x'"),
                grpc("repeated input", r -> r.addInputs(r.getInputs(1)), Code.INVALID_ARGUMENT,
                        "input 'ids' is given more than once"),
                grpc("wrong datatype", r -> r.getInputsBuilder(0).setDatatype("INT32"), Code.INVALID_ARGUMENT,
                        "input 'x' has datatype FP32, found INT32"),
                grpc("unknown datatype", r -> r.getInputsBuilder(0).setDatatype("FP33"), Code.INVALID_ARGUMENT,
                        "unknown datatype 'FP33'"),
                grpc("wrong rank", r -> r.getInputsBuilder(0).clearShape().addShape(6), Code.INVALID_ARGUMENT,
                        "input 'x' needs shape [-1, 3] (-1: any size), found [6]"),
                grpc("wrong fixed dimension", r -> r.getInputsBuilder(0).clearShape().addShape(3).addShape(2),
                        Code.INVALID_ARGUMENT, "needs shape [-1, 3] (-1: any size), found [3, 2]"),
                grpc("negative dimension", r -> r.getInputsBuilder(0).clearShape().addShape(-2).addShape(3),
                        Code.INVALID_ARGUMENT, "has a negative dimension in shape [-2, 3]"),
                grpc("shape too large", r -> r.getInputsBuilder(0).clearShape().addShape(1L << 40).addShape(3),
                        Code.INVALID_ARGUMENT, "elements"),
                grpc("too few elements", r -> r.getInputsBuilder(0).setContents(floats(1, 2, 3, 4, 5)),
                        Code.INVALID_ARGUMENT, "has 6 elements by its shape, but 'fp32_contents' holds 5"),
                grpc("wrong contents field", r -> r.getInputsBuilder(0).setContents(
                        InferTensorContents.newBuilder().addAllIntContents(List.of(1, 2, 3, 4, 5, 6))),
                        Code.INVALID_ARGUMENT, "whose elements go in 'fp32_contents'; found 'int_contents'"),
                grpc("no contents", r -> r.getInputsBuilder(0).clearContents(), Code.INVALID_ARGUMENT,
                        "found no elements"),
                grpc("raw entries fewer than inputs", r -> {
                    r.getInputsBuilder(0).clearContents();
                    r.getInputsBuilder(1).clearContents();
                    r.addRawInputContents(ByteString.copyFrom(new byte[24]));
                }, Code.INVALID_ARGUMENT, "raw_input_contents has 1 entries for 2 inputs"),
                grpc("raw size wrong", r -> {
                    r.getInputsBuilder(0).clearContents();
                    r.getInputsBuilder(1).clearContents();
                    r.addRawInputContents(ByteString.copyFrom(new byte[20]));
                    r.addRawInputContents(ByteString.copyFrom(new byte[16]));
                }, Code.INVALID_ARGUMENT, "input 'x' of datatype FP32 and shape [2, 3] needs 24 bytes, found 20"),
                grpc("raw and typed mixed", r -> {
                    r.getInputsBuilder(1).clearContents();
                    r.addRawInputContents(ByteString.copyFrom(new byte[24]));
                    r.addRawInputContents(ByteString.copyFrom(new byte[16]));
                }, Code.INVALID_ARGUMENT, "input 'x' has 'contents' although the request uses raw_input_contents"),
                grpc("unknown output", r -> r.addOutputsBuilder().setName("z"), Code.INVALID_ARGUMENT,
                        "has no output 'z'; its outputs are [y, next]"),
                grpc("repeated output", r -> {
                    r.addOutputsBuilder().setName("y");
                    r.addOutputsBuilder().setName("y");
                }, Code.INVALID_ARGUMENT, "output 'y' is requested more than once"),
                grpc("BYTES raw with truncated length", r -> stringsRequest(r, new byte[] {5, 0}),
                        Code.INVALID_ARGUMENT, "BYTES element 0 has a truncated 4-byte length prefix"),
                grpc("BYTES raw with overlong element", r -> stringsRequest(r, new byte[] {9, 0, 0, 0, 'a'}),
                        Code.INVALID_ARGUMENT, "BYTES element 0 claims 9 bytes, but 1 remain"),
                grpc("message over the size limit", r -> {
                    r.getInputsBuilder(0).clearContents().clearShape().addShape(MAX_MESSAGE_BYTES / 12).addShape(3);
                    r.getInputsBuilder(1).clearContents().clearShape().addShape(MAX_MESSAGE_BYTES / 12);
                    r.addRawInputContents(ByteString.copyFrom(new byte[MAX_MESSAGE_BYTES]));
                    r.addRawInputContents(ByteString.copyFrom(new byte[8]));
                }, Code.RESOURCE_EXHAUSTED, "exceeds maximum"));
    }

    @ParameterizedTest(name = "gRPC: {0}")
    @MethodSource("grpcInferCases")
    void grpcInferIsRefused(String name, Consumer<ModelInferRequest.Builder> change, Code code, String message) {
        ModelInferRequest.Builder request = EndToEndTest.affineRequest();
        change.accept(request);
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
                () -> server.grpc.modelInfer(request.build()));
        assertEquals(code, error.getStatus().getCode(), error.getStatus().toString());
        assertContains(error.getStatus().getDescription(), message);
    }

    static Stream<Arguments> grpcOtherCases() {
        return Stream.of(
                Arguments.of("metadata of unknown model", (Function<TestServer, Object>) s -> s.grpc.modelMetadata(
                        ModelMetadataRequest.newBuilder().setName("nosuch").build()), Code.NOT_FOUND,
                        "no model 'nosuch'"),
                Arguments.of("readiness of unknown model", (Function<TestServer, Object>) s -> s.grpc.modelReady(
                        ModelReadyRequest.newBuilder().setName("nosuch").build()), Code.NOT_FOUND,
                        "no model 'nosuch'"),
                Arguments.of("load with model control none", (Function<TestServer, Object>) s ->
                        s.grpc.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("affine")
                                .build()), Code.FAILED_PRECONDITION, "model control is 'none'"),
                Arguments.of("index of another repository", (Function<TestServer, Object>) s ->
                        s.grpc.repositoryIndex(RepositoryIndexRequest.newBuilder().setRepositoryName("other")
                                .build()), Code.NOT_FOUND, "no model repository 'other'"));
    }

    @ParameterizedTest(name = "gRPC: {0}")
    @MethodSource("grpcOtherCases")
    void grpcCallIsRefused(String name, Function<TestServer, Object> call, Code code, String message) {
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> call.apply(server));
        assertEquals(code, error.getStatus().getCode(), error.getStatus().toString());
        assertContains(error.getStatus().getDescription(), message);
    }

    static final String VALID_JSON = "{\"inputs\":["
            + "{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[1,2,3,-1,0,0.5]},"
            + "{\"name\":\"ids\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[7,9]}]}";
    private static final String X_JSON = "{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[1,2,3,4,5,6]}";
    private static final String IDS_JSON = "{\"name\":\"ids\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[7,9]}";

    static Stream<Arguments> restCases() {
        return Stream.of(
                rest("malformed JSON", "/v2/models/affine/infer", "{\"inputs\": [", 400, "malformed JSON"),
                rest("JSON followed by more JSON", "/v2/models/affine/infer", VALID_JSON + " {}", 400,
                        "the inference request has more after its JSON value, from byte " + (VALID_JSON.length() + 1)),
                rest("JSON followed by garbage", "/v2/models/affine/infer", VALID_JSON + "garbage", 400,
                        "malformed JSON in the inference request: Unrecognized token 'garbage'"),
                rest("JSON that is not an object", "/v2/models/affine/infer", "[1,2]", 400,
                        "must be a JSON object, found ARRAY"),
                rest("empty body", "/v2/models/affine/infer", "", 400, "the inference request is empty"),
                rest("no inputs array", "/v2/models/affine/infer", "{\"id\":\"1\"}", 400,
                        "needs an 'inputs' array"),
                rest("input name not a string", "/v2/models/affine/infer",
                        "{\"inputs\":[{\"name\":3,\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}", 400,
                        "input 0's 'name' must be a string, found 3"),
                rest("shape missing", "/v2/models/affine/infer",
                        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1]}]}", 400,
                        "input 'x' needs a 'shape' array"),
                rest("shape entry not an integer", "/v2/models/affine/infer",
                        "{\"inputs\":[{\"name\":\"x\",\"shape\":[\"2\",3],\"datatype\":\"FP32\",\"data\":[1]}]}", 400,
                        "shape entry 0 must be an integer"),
                rest("element not a number", "/v2/models/affine/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,3],"
                        + "\"datatype\":\"FP32\",\"data\":[1,\"two\",3,4,5,6]}," + IDS_JSON + "]}", 400,
                        "input 'x' (FP32): element 1 is \"two\", not a number"),
                rest("fractional INT64", "/v2/models/affine/infer", "{\"inputs\":[" + X_JSON + ",{\"name\":\"ids\","
                        + "\"shape\":[2],\"datatype\":\"INT64\",\"data\":[7,1.5]}]}", 400,
                        "element 1 is 1.5, not an integer"),
                rest("neither data nor binary size", "/v2/models/affine/infer",
                        "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\"FP32\"}]}", 400,
                        "has neither 'data' nor a 'binary_data_size' parameter"),
                rest("parameters not an object", "/v2/models/affine/infer",
                        "{\"parameters\":[1],\"inputs\":[" + X_JSON + "," + IDS_JSON + "]}", 400,
                        "request 'parameters' must be a JSON object"),
                rest("unknown model", "/v2/models/nosuch/infer", VALID_JSON, 404, "no model 'nosuch' is loaded"),
                rest("unknown version", "/v2/models/affine/versions/7/infer", VALID_JSON, 404, "has no version 7"),
                rest("malformed version", "/v2/models/affine/versions/latest/infer", VALID_JSON, 400,
                        "version must be a positive integer, found 'latest'"),
                rest("model name escaping the repository", "/v2/models/..%2F..%2Fetc/infer", VALID_JSON, 400,
                        "'../../etc' is not a valid model name"),
                rest("model that failed to load", "/v2/models/broken/infer", VALID_JSON, 503,
                        "model 'broken' failed to load"),
                rest("unknown input", "/v2/models/affine/infer", "{\"inputs\":[" + X_JSON.replace("\"x\"", "\"q\"")
                        + "," + IDS_JSON + "]}", 400, "has no input 'q'"),
                rest("wrong datatype", "/v2/models/affine/infer", "{\"inputs\":[" + X_JSON.replace("FP32", "FP64")
                        + "," + IDS_JSON + "]}", 400, "input 'x' has datatype FP32, found FP64"),
                rest("wrong shape", "/v2/models/affine/infer", "{\"inputs\":[" + X_JSON.replace("[2,3]", "[3,2]")
                        + "," + IDS_JSON + "]}", 400, "needs shape [-1, 3] (-1: any size), found [3, 2]"),
                rest("element count off", "/v2/models/affine/infer", "{\"inputs\":["
                        + X_JSON.replace("[1,2,3,4,5,6]", "[1,2,3]") + "," + IDS_JSON + "]}", 400,
                        "input 'x' has 6 elements by its shape [2, 3], but its 'data' holds 3"),
                rest("no elements", "/v2/models/affine/infer", "{\"inputs\":["
                        + X_JSON.replace("[1,2,3,4,5,6]", "[]") + "," + IDS_JSON + "]}", 400,
                        "input 'x' has 6 elements by its shape [2, 3], but its 'data' holds 0"),
                rest("element count off beside binary data", "/v2/models/affine/infer", "{\"inputs\":["
                        + X_JSON.replace("[1,2,3,4,5,6]", "[1,2]") + ",{\"name\":\"ids\",\"shape\":[2],"
                        + "\"datatype\":\"INT64\",\"parameters\":{\"binary_data_size\":0}}]}", 400,
                        "input 'x' has 6 elements by its shape [2, 3], but its 'data' holds 2"),
                rest("FP32 element too large for a float", "/v2/models/affine/infer", "{\"inputs\":["
                        + X_JSON.replace("[1,2,3,4,5,6]", "[1,2,1e300,4,5,6]") + "," + IDS_JSON + "]}", 400,
                        "input 'x': element 2 is 1.0E300, beyond FP32's largest finite value"),
                rest("FP64 element too large for a double", "/v2/models/affine/infer", "{\"inputs\":["
                        + X_JSON.replace("FP32", "FP64").replace("[1,2,3,4,5,6]", "[1,2,3,4,5,1e400]") + ","
                        + IDS_JSON + "]}", 400, "input 'x': element 5 is Infinity, beyond FP64's largest finite value"),
                rest("datatype missing", "/v2/models/affine/infer", "{\"inputs\":[" + X_JSON.replace(
                        "\"datatype\":\"FP32\",", "") + "," + IDS_JSON + "]}", 400,
                        "input 'x': 'datatype' must be a string, but it is missing"),
                rest("input parameters not an object", "/v2/models/affine/infer", "{\"inputs\":[" + X_JSON.replace(
                        "\"data\"", "\"parameters\":3,\"data\"") + "," + IDS_JSON + "]}", 400,
                        "input 'x': 'parameters' must be a JSON object, found NUMBER"),
                rest("unknown output", "/v2/models/affine/infer", "{\"inputs\":[" + X_JSON + "," + IDS_JSON
                        + "],\"outputs\":[{\"name\":\"w\"}]}", 400, "has no output 'w'"),
                rest("BYTES element not a string", "/v2/models/strings/infer", "{\"inputs\":[{\"name\":\"words\","
                        + "\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[42]}]}", 400,
                        "element 0 is 42, not a string"),
                rest("unknown path", "/v2/modelz", "{}", 404, "no such endpoint: /v2/modelz"),
                rest("path outside /v2", "/v1/models/affine", "{}", 404, "no such endpoint: /v1/models/affine"),
                rest("request timeout already over", "/v2/models/affine/infer", "{\"parameters\":{\"timeout\":1},"
                        + "\"inputs\":[" + X_JSON + "," + IDS_JSON + "]}", 504, "deadline passed before it could run"),
                rest("request timeout not an integer", "/v2/models/affine/infer", "{\"parameters\":{\"timeout\":"
                        + "\"soon\"},\"inputs\":[" + X_JSON + "," + IDS_JSON + "]}", 400,
                        "parameter 'timeout' must be an integer number of microseconds > 0"),
                rest("load with model control none", "/v2/repository/models/affine/load", "", 400,
                        "model control is 'none'"));
    }

    @ParameterizedTest(name = "REST: {0}")
    @MethodSource("restCases")
    void restRequestIsRefused(String name, String path, String body, int status, String message) throws Exception {
        HttpResponse<String> response = server.post(path, body);
        assertEquals(status, response.statusCode(), response.body());
        String error = JSON.readTree(response.body()).get("error").asText();
        assertContains(error, message);
        for (String grpcField : List.of("_contents", "''s")) {
            assertTrue(!error.contains(grpcField), () -> "a REST error names <" + grpcField + ">: " + error);
        }
    }

    @Test
    void restWrongMethodIs405() throws Exception {
        HttpResponse<String> response = server.get("/v2/models/affine/infer");
        assertEquals(405, response.statusCode());
        assertContains(JSON.readTree(response.body()).get("error").asText(), "method GET is not allowed here; use POST");
    }

    @Test
    void restMetadataOfUnknownModelIs404() throws Exception {
        HttpResponse<String> response = server.get("/v2/models/nosuch");
        assertEquals(404, response.statusCode());
        assertContains(JSON.readTree(response.body()).get("error").asText(), "no model 'nosuch'");
    }

    @Test
    void restBinaryDataLongerThanBodyIs400() throws Exception {
        String header = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":100}}," + IDS_JSON + "]}";
        HttpResponse<String> response = postBinary(header, new byte[24], Integer.toString(header.length()));
        assertEquals(400, response.statusCode());
        assertContains(JSON.readTree(response.body()).get("error").asText(),
                "input 'x' declares 100 bytes of binary data, but only 24 remain");
    }

    @Test
    void restBinaryDataNoInputClaimsIs400() throws Exception {
        HttpResponse<String> response = postBinary(VALID_JSON, new byte[8], Integer.toString(VALID_JSON.length()));
        assertEquals(400, response.statusCode());
        assertContains(JSON.readTree(response.body()).get("error").asText(), "8 bytes of binary data that no input claims");
    }

    @Test
    void restMalformedHeaderLengthIs400() throws Exception {
        HttpResponse<String> response = postBinary(VALID_JSON, new byte[0], "twelve");
        assertEquals(400, response.statusCode());
        assertContains(JSON.readTree(response.body()).get("error").asText(),
                "Inference-Header-Content-Length must be a non-negative integer, found 'twelve'");
    }

    @Test
    void restHeaderLengthPastBodyIs400() throws Exception {
        HttpResponse<String> response = postBinary(VALID_JSON, new byte[0], "100000");
        assertEquals(400, response.statusCode());
        assertContains(JSON.readTree(response.body()).get("error").asText(),
                "Inference-Header-Content-Length is 100000 but the body has only");
    }

    @Test
    void restBodyOverTheSizeLimitIs413() throws Exception {
        HttpResponse<String> response = server.http.send(HttpRequest.newBuilder(server.uri("/v2/models/affine/infer"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_MESSAGE_BYTES + 1])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertContains(JSON.readTree(response.body()).get("error").asText(), "the request body of "
                + (MAX_MESSAGE_BYTES + 1) + " bytes is larger than the server's maximum message size of "
                + MAX_MESSAGE_BYTES + " bytes");
    }

    private static HttpResponse<String> postBinary(String json, byte[] binary, String headerLength) throws Exception {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(header.length + binary.length).put(header).put(binary).array();
        return server.http.send(HttpRequest.newBuilder(server.uri("/v2/models/affine/infer"))
                .header("Inference-Header-Content-Length", headerLength)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void stringsRequest(ModelInferRequest.Builder request, byte[] raw) {
        request.setModelName("strings").clearInputs();
        request.addInputsBuilder().setName("words").setDatatype("BYTES").addShape(1);
        request.addRawInputContents(ByteString.copyFrom(raw));
    }

    private static InferTensorContents floats(float... values) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (float value : values) {
            contents.addFp32Contents(value);
        }
        return contents.build();
    }

    private static Arguments grpc(String name, Consumer<ModelInferRequest.Builder> change, Code code, String message) {
        return Arguments.of(name, change, code, message);
    }

    private static Arguments rest(String name, String path, String body, int status, String message) {
        return Arguments.of(name, path, body, status, message);
    }

    private static void assertContains(String actual, String expected) {
        assertTrue(actual != null && actual.contains(expected), "expected a message containing <" + expected
                + ">, found <" + actual + ">");
    }
}
