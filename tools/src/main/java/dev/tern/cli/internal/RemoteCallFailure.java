package dev.tern.cli.internal;

/**
 * A server answered a request with an error: counted by {@link #status()} under load rather
 * than stopping it.
 */
public final class RemoteCallFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String status;

    /** @param status the protocol's name for the outcome: a gRPC status code or "HTTP 503" */
    RemoteCallFailure(String status, String message) {
        super(status + ": " + message);
        this.status = status;
    }

    /** The protocol's name for the outcome, the key failures are counted by. */
    public String status() {
        return status;
    }
}
