package dev.tern.server.internal.rest;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP answer before it meets Netty: status, content type, body bytes (owned, never
 * changed) and any extra headers.
 */
public record RestResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json";
    /** JSON followed by binary tensors, as the binary tensor extension sends it. */
    static final String JSON_AND_BINARY = "application/octet-stream";

    /** A JSON answer. */
    public static RestResponse json(int status, byte[] body) {
        return new RestResponse(status, JSON, body, Map.of());
    }

    /** An answer with no body, for health checks. */
    public static RestResponse empty(int status) {
        return new RestResponse(status, JSON, new byte[0], Map.of());
    }

    /** The protocol's error body, {@code {"error": message}}. */
    public static RestResponse error(int status, String message) {
        return json(status, RestJson.errorBody(message).getBytes(StandardCharsets.UTF_8));
    }
}
