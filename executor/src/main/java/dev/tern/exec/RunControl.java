package dev.tern.exec;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one run goes: limits (a deadline, a {@link CancellationToken}, or both) and the LoRA
 * {@link Adapter} it applies, if any. Immutable. A run that hits a limit throws
 * {@link RunCancelledException}; ONNX Runtime notices between operators, so one long operator
 * finishes before the run stops.
 */
public final class RunControl {
    private static final RunControl NONE = new RunControl(null, null, null);

    private final Duration timeout;
    private final CancellationToken token;
    private final Adapter adapter;

    private RunControl(Duration timeout, CancellationToken token, Adapter adapter) {
        this.timeout = timeout;
        this.token = token;
        this.adapter = adapter;
    }

    /** No deadline, no token and no adapter. */
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

    /** A run that applies {@code adapter}. */
    public static RunControl adapter(Adapter adapter) {
        return NONE.withAdapter(adapter);
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
        return new RunControl(timeout, token, adapter);
    }

    /** The same control, cancellable by {@code token}. */
    public RunControl withToken(CancellationToken token) {
        return new RunControl(timeout, Objects.requireNonNull(token, "token"), adapter);
    }

    /**
     * The same control, applying {@code adapter}: the run feeds the adapter's parameters to the
     * model inputs of the same names. The run fails with {@link ClosedException} if the adapter
     * is closed by then.
     */
    public RunControl withAdapter(Adapter adapter) {
        return new RunControl(timeout, token, Objects.requireNonNull(adapter, "adapter"));
    }

    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    public Optional<CancellationToken> token() {
        return Optional.ofNullable(token);
    }

    public Optional<Adapter> adapter() {
        return Optional.ofNullable(adapter);
    }

    /** Whether this control limits anything. */
    public boolean isLimited() {
        return timeout != null || token != null;
    }

    /** Whether a run under this control needs ONNX Runtime run options: a limit or an adapter. */
    boolean needsRunOptions() {
        return isLimited() || adapter != null;
    }
}
