package dev.tern.server.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link RestConnection} sends and what it accepts, against a JDK HTTP server that
 * records the request and answers as the test says.
 */
class RestConnectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Tensor> INPUTS = List.of(Tensor.ofFloats("x", new long[] {1, 2}, 1f, 2f));

    private final AtomicReference<byte[]> received = new AtomicReference<>();
    private final AtomicReference<String> receivedHeaderLength = new AtomicReference<>();
    private final AtomicReference<String> receivedAuthorization = new AtomicReference<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void asksForEveryOutputAsBinary() throws IOException {
        answerInfer(200, "application/octet-stream", new byte[] {'{', '}', (byte) 0xff, (byte) 0xfe});

        run(INPUTS);

        byte[] body = received.get();
        int headerLength = Integer.parseInt(receivedHeaderLength.get());
        JsonNode header = JSON.readTree(Arrays.copyOf(body, headerLength));
        assertTrue(header.path("parameters").path("binary_data_output").asBoolean(false), header::toString);
        assertEquals(8, header.path("inputs").get(0).path("parameters").path("binary_data_size").asInt());
        assertEquals(headerLength + 8, body.length);
    }

    @Test
    void anErrorAnswerBecomesAFailureWithItsStatusAndMessage() {
        answerInfer(400, "application/json", "{\"error\": \"bad shape\"}".getBytes(StandardCharsets.UTF_8));

        RemoteCallFailure failure = assertThrows(RemoteCallFailure.class, () -> run(INPUTS));

        assertEquals("HTTP 400", failure.status());
        assertEquals("bad shape", failure.detail());
    }

    @Test
    void anErrorAnswerThatIsNotKServesIsTakenAsText() {
        answerInfer(502, "text/plain", "Bad Gateway\n".getBytes(StandardCharsets.UTF_8));

        RemoteCallFailure failure = assertThrows(RemoteCallFailure.class, () -> run(INPUTS));

        assertEquals("HTTP 502", failure.status());
        assertEquals("Bad Gateway", failure.detail());
    }

    @Test
    void sendsTheBearerTokenWhenGivenOne() {
        answerInfer(200, "application/octet-stream", new byte[] {'{', '}'});

        try (RestConnection connection = new RestConnection("127.0.0.1", server.getAddress().getPort(), "m", "",
                Optional.of("t0ken"));
             InferenceCall call = connection.newCall(INPUTS)) {
            call.run();
        }

        assertEquals("Bearer t0ken", receivedAuthorization.get());
    }

    @Test
    void anInputWithoutAKServeDatatypeIsRefusedBeforeAnythingIsSent() {
        answerInfer(200, "application/octet-stream", new byte[] {'{', '}'});
        Tensor complex = Tensor.of("z", ElementType.COMPLEX64, new long[] {1},
                ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> run(List.of(complex)));

        assertEquals("tensor 'z' has element type complex64, which KServe v2 has no datatype for", refused.getMessage());
        assertNull(received.get());
    }

    private void run(List<Tensor> inputs) {
        try (RestConnection connection = new RestConnection("127.0.0.1", server.getAddress().getPort(), "m", "");
             InferenceCall call = connection.newCall(inputs)) {
            call.run();
        }
    }

    /** Records each request to the model's infer path and answers it with {@code status} and {@code body}. */
    private void answerInfer(int status, String contentType, byte[] body) {
        server.createContext("/v2/models/m/infer", exchange -> {
            try (exchange) {
                received.set(exchange.getRequestBody().readAllBytes());
                receivedHeaderLength.set(exchange.getRequestHeaders().getFirst("Inference-Header-Content-Length"));
                receivedAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        });
    }
}
