package dev.tern.server;

import dev.tern.ir.TernException;

/**
 * A call that failed with a {@link Status}. Thrown by {@link InferenceService} and the model
 * repository; transports catch it and answer with the status, so it never ends the server.
 */
public final class StatusException extends TernException {
    private static final long serialVersionUID = 1L;

    private final transient Status status;

    StatusException(Status status) {
        super(status.toString());
        this.status = status;
    }

    StatusException(Status status, Throwable cause) {
        super(status.toString(), cause);
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
