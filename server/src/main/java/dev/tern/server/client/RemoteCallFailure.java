package dev.tern.server.client;

/**
 * A server answered a request with an error: counted by {@link #status()} under load rather
 * than stopping it.
 */
public final class RemoteCallFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String status;
    private final String detail;

    /**
     * @param status the protocol's name for the outcome: a gRPC status code or "HTTP 503"
     * @param detail what the server said about it, or empty
     */
    RemoteCallFailure(String status, String detail) {
        super(detail.isEmpty() ? status : status + ": " + detail);
        this.status = status;
        this.detail = detail;
    }

    /** The protocol's name for the outcome, the key failures are counted by. */
    public String status() {
        return status;
    }

    /** What the server said about the failure (a gRPC status's description, a REST error's text), or empty. */
    public String detail() {
        return detail;
    }
}
