package dev.tern.server.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tern.server.internal.rest.RestResponse;
import dev.tern.server.proto.ModelInferRequest;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing (Jazzer) of the server's request decoding: REST with a JSON body, REST
 * with the binary tensor extension, and gRPC {@code ModelInfer}, each through its adapter into
 * the real service and on to a model run when the request is valid ({@link InProcessEndpoints},
 * no sockets). A normal build runs each target over its committed seeds in
 * {@code InferRequestFuzzTestInputs/<target>/}; {@code tools/fuzz.sh} fuzzes one. Whatever a
 * client sends must be answered with a status the protocol documents for a client's mistake;
 * HTTP 500 or gRPC INTERNAL (an exception the server did not expect), a hang or an
 * {@code OutOfMemoryError} is a finding.
 */
class InferRequestFuzzTest {
    /** Success, and the REST statuses of a malformed request, an unknown model or route, a wrong method, a deadline. */
    private static final Set<Integer> DOCUMENTED_HTTP = Set.of(200, 400, 404, 405, 504);
    private static final Set<Status.Code> DOCUMENTED_GRPC = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND, Status.Code.DEADLINE_EXCEEDED);
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** {@code POST /v2/models/<model>/infer} with a JSON body; the input is the model name, a newline and the body. */
    @FuzzTest
    void restJson(byte[] input) throws Exception {
        FramedInput request = FramedInput.split(input, 1);
        checkRest(endpoints.post(inferPath(request.field(0)), null, request.body()));
    }

    /**
     * The same with binary tensor data after the JSON: the input is the model name, a newline,
     * the {@code Inference-Header-Content-Length} value, a newline and the body.
     */
    @FuzzTest
    void binaryTensors(byte[] input) throws Exception {
        FramedInput request = FramedInput.split(input, 2);
        checkRest(endpoints.post(inferPath(request.field(0)), request.field(1), request.body()));
    }

    /**
     * {@code ModelInfer} with the input as the serialized request. Bytes that are no
     * {@code ModelInferRequest} never reach the server's code: grpc-java's marshaller refuses them.
     */
    @FuzzTest
    void grpcInfer(byte[] input) throws Exception {
        ModelInferRequest request;
        try {
            request = ModelInferRequest.parseFrom(input);
        } catch (InvalidProtocolBufferException refusedByGrpc) {
            return;
        }
        Status status = endpoints.infer(request);
        assertTrue(DOCUMENTED_GRPC.contains(status.getCode()), "undocumented answer " + status);
    }

    private static String inferPath(String model) {
        return "/v2/models/" + (model == null ? "" : model) + "/infer";
    }

    /** The status is documented, and the body is what the protocol says goes with it. */
    private static void checkRest(RestResponse response) throws IOException {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (!DOCUMENTED_HTTP.contains(response.status())) {
            fail("undocumented HTTP " + response.status() + ": " + text);
        }
        if (response.status() != 200) {
            JsonNode error = JSON.readTree(response.body());
            assertTrue(error.path("error").isTextual(), "an error body is {\"error\": message}, found " + text);
        }
    }
}
