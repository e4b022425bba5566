package dev.tern.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP answer before it meets Netty: status, body bytes (owned, never changed) and any
 * extra headers. JSON unless a binary extension header says where the JSON ends.
 */
public record RestResponse(int status, byte[] body, Map<String, String> headers) {
    /** A JSON answer. */
    public static RestResponse json(int status, byte[] body) {
        return new RestResponse(status, body, Map.of());
    }

    /** An answer with no body, for health checks. */
    public static RestResponse empty(int status) {
        return new RestResponse(status, new byte[0], Map.of());
    }

    /** The protocol's error body, {@code {"error": message}}. */
    public static RestResponse error(int status, String message) {
        return json(status, RestJson.errorBody(message).getBytes(StandardCharsets.UTF_8));
    }
}
