package dev.tern.server;

import java.time.Duration;
import java.util.Optional;

/**
 * When a request must be answered by, on the {@link System#nanoTime()} clock. Immutable. A
 * request whose deadline has passed is not run; one that runs is stopped at its deadline.
 */
public final class Deadline {
    private static final Deadline NONE = new Deadline(Long.MAX_VALUE, false);

    private final long expiresAtNanos;
    private final boolean limited;

    private Deadline(long expiresAtNanos, boolean limited) {
        this.expiresAtNanos = expiresAtNanos;
        this.limited = limited;
    }

    /** No deadline. */
    public static Deadline none() {
        return NONE;
    }

    /**
     * A deadline {@code timeout} from now.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static Deadline after(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a deadline needs a timeout >= 0, found " + timeout);
        }
        long nanos = timeout.toNanos();
        return new Deadline(System.nanoTime() + nanos, true);
    }

    /** Whichever of this deadline and {@code other} comes first. */
    public Deadline earlier(Deadline other) {
        if (!other.limited) {
            return this;
        }
        if (!limited) {
            return other;
        }
        return other.expiresAtNanos - expiresAtNanos < 0 ? other : this;
    }

    /** Whether this deadline limits anything. */
    public boolean isLimited() {
        return limited;
    }

    /** Whether the deadline has passed. */
    public boolean isExpired() {
        return limited && System.nanoTime() - expiresAtNanos >= 0;
    }

    /** The time left, empty without a deadline; zero or negative once expired. */
    public Optional<Duration> remaining() {
        return limited ? Optional.of(Duration.ofNanos(expiresAtNanos - System.nanoTime())) : Optional.empty();
    }

    @Override
    public String toString() {
        return limited ? "Deadline(" + remaining().orElseThrow().toMillis() + " ms left)" : "Deadline(none)";
    }
}
