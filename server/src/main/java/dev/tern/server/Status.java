package dev.tern.server;

import java.util.Objects;

/**
 * The outcome of a call as the protocol reports it: a {@link Code} and a message that says
 * what was wrong (the model, version, tensor and expected versus found). Immutable. The
 * service raises failures as {@link StatusException}; each transport turns the status into
 * its own form at its edge (a gRPC status, an HTTP status with a JSON {@code error} body).
 */
public final class Status {
    /** The protocol's error codes, with the HTTP status the REST transport answers for each. */
    public enum Code {
        OK(200),
        /** The request is malformed or does not match the model. */
        INVALID_ARGUMENT(400),
        /** No such model, version, route or repository. */
        NOT_FOUND(404),
        /** The request is valid, but the server's state does not allow it (load with model control "none"). */
        FAILED_PRECONDITION(400),
        /** A limit was reached: a message is too large. */
        RESOURCE_EXHAUSTED(503),
        /** The server or model cannot take requests now (shutting down, model not loaded, its queue full). */
        UNAVAILABLE(503),
        /** The request's deadline passed before it finished. */
        DEADLINE_EXCEEDED(504),
        /** The request lacks the bearer token the server requires, or carries a wrong one. */
        UNAUTHENTICATED(401),
        /** The call or feature is not served. */
        UNIMPLEMENTED(501),
        /** The model failed while running: a server-side fault, not the client's. */
        INTERNAL(500);

        private final int httpStatus;

        Code(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** The HTTP status code the REST transport answers with. */
        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Code code;
    private final String message;

    private Status(Code code, String message) {
        this.code = Objects.requireNonNull(code, "code");
        this.message = Objects.requireNonNull(message, "message");
    }

    /** A status with {@code code} and {@code message}. */
    public static Status of(Code code, String message) {
        return new Status(code, message);
    }

    public static Status invalidArgument(String message) {
        return new Status(Code.INVALID_ARGUMENT, message);
    }

    public static Status notFound(String message) {
        return new Status(Code.NOT_FOUND, message);
    }

    public static Status unavailable(String message) {
        return new Status(Code.UNAVAILABLE, message);
    }

    public static Status internal(String message) {
        return new Status(Code.INTERNAL, message);
    }

    public Code code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** This status as an exception, to raise at the point of failure. */
    public StatusException asException() {
        return new StatusException(this);
    }

    /** This status as an exception caused by {@code cause}. */
    public StatusException asException(Throwable cause) {
        return new StatusException(this, cause);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Status that && code == that.code && message.equals(that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, message);
    }

    @Override
    public String toString() {
        return message.isEmpty() ? code.name() : code + ": " + message;
    }
}
