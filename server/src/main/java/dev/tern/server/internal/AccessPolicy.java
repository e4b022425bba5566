package dev.tern.server.internal;

/**
 * Which network requests must carry the server's {@link BearerToken}: every one, or (the
 * default) every one but the health checks and the metrics scrape, so that Kubernetes probes and
 * Prometheus need no secret. Immutable.
 */
public final class AccessPolicy {
    private final BearerToken token;
    private final boolean probesNeedToken;

    /**
     * @param probesNeedToken whether health checks and metrics need the token too
     */
    public AccessPolicy(BearerToken token, boolean probesNeedToken) {
        this.token = token;
        this.probesNeedToken = probesNeedToken;
    }

    /** Every request is let through. */
    public static AccessPolicy open() {
        return new AccessPolicy(BearerToken.none(), false);
    }

    /**
     * Whether a request with {@code authorization} (the header's value, or null) may go on.
     *
     * @param probe whether the request is a health check or a metrics scrape
     */
    public boolean admits(boolean probe, String authorization) {
        return (probe && !probesNeedToken) || token.accepts(authorization);
    }
}
