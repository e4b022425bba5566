package dev.tern.server.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.ir.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A model on a server reached over REST with {@code java.net.http} (HTTP/1.1). Tensors travel
 * both ways in the binary tensor extension (a JSON header, then the raw bytes): inputs declare
 * {@code binary_data_size} and every request asks for its outputs with
 * {@code "binary_data_output": true}, as Triton's HTTP client does by default, so a call costs
 * what the data costs rather than what printing every number as text and reading it back costs
 * (for MiniLM's 12,288 output floats, about a millisecond of server CPU per request).
 */
public final class RestConnection implements ServerConnection {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String modelPath;
    private final Optional<String> authorization;

    /** @param version the model version, or empty for the server's choice */
    public RestConnection(String host, int port, String model, String version) {
        this(host, port, model, version, Optional.empty());
    }

    /**
     * @param version the model version, or empty for the server's choice
     * @param bearerToken sent as {@code Authorization: Bearer <token>} with every request, if present
     */
    public RestConnection(String host, int port, String model, String version, Optional<String> bearerToken) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        this.modelPath = "http://" + host + ":" + port + "/v2/models/" + encode(model)
                + (version.isEmpty() ? "" : "/versions/" + encode(version));
        this.authorization = bearerToken.map(token -> "Bearer " + token);
    }

    @Override
    public List<InputMetadata> inputs() {
        HttpResponse<byte[]> response = send(request(modelPath).GET().build());
        JsonNode metadata;
        try {
            metadata = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RemoteCallFailure("BAD_RESPONSE", "model metadata is no JSON: " + e.getMessage());
        }
        List<InputMetadata> inputs = new ArrayList<>();
        for (JsonNode input : metadata.path("inputs")) {
            String name = input.path("name").asText();
            String datatype = input.path("datatype").asText();
            long[] shape = new long[input.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = input.path("shape").get(i).asLong();
            }
            inputs.add(new InputMetadata(name, Datatypes.elementType(datatype).orElseThrow(() ->
                    new RemoteCallFailure("BAD_RESPONSE", "input '" + name + "' has unknown datatype " + datatype)),
                    shape));
        }
        return inputs;
    }

    @Override
    public InferenceCall newCall(List<Tensor> inputs) {
        HttpRequest request = inferRequest(inputs);
        return new InferenceCall() {
            @Override
            public void run() {
                send(request);
            }

            @Override
            public void close() {
                // Nothing of its own: the HTTP client belongs to the connection.
            }
        };
    }

    @Override
    public void close() {
        // java.net.http's client on Java 17 has no close; its idle connections die with their selector thread.
    }

    private HttpRequest inferRequest(List<Tensor> inputs) {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("parameters").put("binary_data_output", true);
        ArrayNode described = header.putArray("inputs");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<byte[]> payloads = new ArrayList<>();
        for (Tensor tensor : inputs) {
            byte[] raw = RawTensors.fromTensor(tensor).toByteArray();
            payloads.add(raw);
            ObjectNode input = described.addObject();
            input.put("name", tensor.name());
            input.put("datatype", Datatypes.nameFor(tensor));
            ArrayNode shape = input.putArray("shape");
            for (long dim : tensor.dims()) {
                shape.add(dim);
            }
            input.putObject("parameters").put("binary_data_size", raw.length);
        }
        byte[] headerBytes;
        try {
            headerBytes = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        body.writeBytes(headerBytes);
        payloads.forEach(body::writeBytes);
        return request(modelPath + "/infer")
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", Integer.toString(headerBytes.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }

    /** The answer's body stays bytes: with binary outputs only its leading JSON header is text. */
    private HttpResponse<byte[]> send(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RemoteCallFailure("IO_ERROR", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCallFailure("INTERRUPTED", "the request was interrupted");
        }
        if (response.statusCode() != 200) {
            throw new RemoteCallFailure("HTTP " + response.statusCode(), errorText(response.body()));
        }
        return response;
    }

    private HttpRequest.Builder request(String uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri));
        authorization.ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    /** The message of a KServe error answer, {@code {"error": ...}}; the body as text if it is not one. */
    private static String errorText(byte[] body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.isTextual()) {
                return error.textValue();
            }
        } catch (IOException e) {
            // Not JSON (another server, a proxy's page): the text says what it can.
        }
        return new String(body, StandardCharsets.UTF_8).strip();
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
