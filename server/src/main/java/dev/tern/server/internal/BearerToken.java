package dev.tern.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The token every request must carry as {@code Authorization: Bearer <token>} (an HTTP header,
 * or gRPC metadata), when the server is given one. Compared in constant time, so response
 * timing does not reveal how much of a guess was right.
 */
public final class BearerToken {
    private static final String PREFIX = "Bearer ";

    private final Optional<byte[]> expected;

    private BearerToken(Optional<byte[]> expected) {
        this.expected = expected;
    }

    /** No token required: every request is accepted. */
    public static BearerToken none() {
        return new BearerToken(Optional.empty());
    }

    /** Requests must carry {@code token}. @throws IllegalArgumentException if it is blank */
    public static BearerToken of(String token) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("a bearer token must not be blank");
        }
        return new BearerToken(Optional.of(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether requests must carry a token at all. */
    public boolean isRequired() {
        return expected.isPresent();
    }

    /** Whether {@code authorization}, the header's value or null, lets the request through. */
    public boolean accepts(String authorization) {
        if (expected.isEmpty()) {
            return true;
        }
        if (authorization == null || !authorization.startsWith(PREFIX)) {
            return false;
        }
        byte[] given = authorization.substring(PREFIX.length()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected.get(), given);
    }

    /** What a refused request is told. */
    public static String refusal() {
        return "this server requires 'Authorization: Bearer <token>' with the token it was started with";
    }
}
