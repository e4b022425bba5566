package dev.tern.exec;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Limits on one run: a deadline, a {@link CancellationToken}, or both. Immutable. A run that
 * hits either throws {@link RunCancelledException}; ONNX Runtime notices between operators,
 * so one long operator finishes before the run stops.
 */
public final class RunControl {
    private static final RunControl NONE = new RunControl(null, null);

    private final Duration timeout;
    private final CancellationToken token;

    private RunControl(Duration timeout, CancellationToken token) {
        this.timeout = timeout;
        this.token = token;
    }

    /** No deadline and no token. */
    public static RunControl none() {
        return NONE;
    }

    /**
     * A run that must finish within {@code timeout} of its start.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static RunControl timeout(Duration timeout) {
        return NONE.withTimeout(timeout);
    }

    /** A run that {@code token} can cancel. */
    public static RunControl cancelledBy(CancellationToken token) {
        return NONE.withToken(token);
    }

    /**
     * The same control with a deadline {@code timeout} after the run starts.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public RunControl withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a run timeout must be positive, found " + timeout);
        }
        return new RunControl(timeout, token);
    }

    /** The same control, cancellable by {@code token}. */
    public RunControl withToken(CancellationToken token) {
        return new RunControl(timeout, Objects.requireNonNull(token, "token"));
    }

    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    public Optional<CancellationToken> token() {
        return Optional.ofNullable(token);
    }

    /** Whether this control limits anything. */
    public boolean isLimited() {
        return timeout != null || token != null;
    }
}
