package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.server.proto.InferTensorContents;
import dev.tern.server.proto.ModelInferRequest;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text sent to models that cannot take it: each refusal is a 400 (gRPC INVALID_ARGUMENT) naming
 * the model and why. (The text models themselves, with a real tokenizer, are tested in tools,
 * where {@code tern serve} wires one in.)
 */
@ExtendWith(NoLeaks.class)
class TextRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT_REQUEST = "{\"inputs\": [{\"name\": \"text\", \"datatype\": \"BYTES\","
            + " \"shape\": [1], \"data\": [\"hello world\"]}]}";

    @TempDir
    Path repository;

    @Test
    void textToAModelThatCannotTakeItIsRefusedNamingTheModelAndWhy() throws Exception {
        Path tokens = TestModels.write(repository, "tokens", 1, tokenEcho());
        Files.writeString(tokens.resolve("tokenizer.json"), "{}"); // never read: this server has no text encoder
        TestModels.write(repository, "plain", 1, tokenEcho());
        try (TestServer server = TestServer.start(repository)) {
            assertRefused(server, "tokens", "model 'tokens' version 1 takes no text: it has a tokenizer.json, but"
                    + " this server was started without a text encoder");
            assertRefused(server, "plain", "model 'plain' version 1 takes no text: it has no tokenizer.json beside"
                    + " its model file");
            // gRPC answers from the same service: INVALID_ARGUMENT with the same reason.
            ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("plain");
            request.addInputsBuilder().setName("text").setDatatype("BYTES").addShape(1)
                    .setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("hi")));
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> server.grpc.modelInfer(request.build()));
            assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
            assertTrue(refused.getStatus().getDescription().startsWith("model 'plain' version 1 takes no text"),
                    refused.getStatus().getDescription());
            JsonNode metadata = JSON.readTree(server.get("/v2/models/tokens").body());
            assertFalse(metadata.has("parameters"), "a model that takes no text says nothing of text: " + metadata);
        }
    }

    @Test
    void aMaximumSequenceLengthWithoutATokenizerFailsTheVersionsLoad() throws Exception {
        TestModels.write(repository, "tokens", 1, tokenEcho());
        Files.writeString(repository.resolve("tokens").resolve("config.json"), "{\"max_sequence_length\": 16}");
        try (TestServer server = TestServer.start(repository)) {
            JsonNode index = JSON.readTree(server.post("/v2/repository/index", "").body());
            JsonNode entry = index.get(0);
            assertEquals("UNAVAILABLE", entry.get("state").asText(), index.toString());
            assertTrue(entry.get("reason").asText().contains("model 'tokens' version 1: config.json sets"
                    + " 'max_sequence_length' but"), entry.toString());
        }
    }

    private static void assertRefused(TestServer server, String model, String reason) throws Exception {
        HttpResponse<String> answer = server.post("/v2/models/" + model + "/infer", TEXT_REQUEST);
        assertEquals(400, answer.statusCode(), answer.body());
        String error = JSON.readTree(answer.body()).get("error").asText();
        assertTrue(error.startsWith(reason), error);
    }

    /** {@code ids = Identity(input_ids)} over {@code input_ids: INT64[batch, tokens]}: the shape of a text model. */
    private static Model tokenEcho() {
        GraphBuilder g = GraphBuilder.create("tokens");
        Value ids = g.input("input_ids", ElementType.INT64, Dim.of("batch"), Dim.of("tokens"));
        g.output(g.op("Identity", ids), "ids");
        return g.toModel(21);
    }
}
