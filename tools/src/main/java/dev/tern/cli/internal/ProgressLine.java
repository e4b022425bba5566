package dev.tern.cli.internal;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * A status line rewritten in place with a carriage return, at most four times a second, so a
 * terminal shows progress without scrolling. Disabled (printing nothing) when the output is
 * no terminal, where carriage returns would only litter logs. Not thread-safe.
 */
public final class ProgressLine {
    static final long MIN_INTERVAL_NANOS = 250_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final LongSupplier nanoClock;
    private boolean shown;
    private long shownAtNanos;
    private int shownLength;

    ProgressLine(PrintWriter err, boolean enabled, LongSupplier nanoClock) {
        this.err = err;
        this.enabled = enabled;
        this.nanoClock = nanoClock;
    }

    /** A progress line on {@code err}, enabled when the JVM runs attached to a terminal. */
    public static ProgressLine forConsole(PrintWriter err) {
        return new ProgressLine(err, System.console() != null, System::nanoTime);
    }

    /** Replaces the line with {@code text}, unless the last update was under a quarter second ago. */
    void show(String text) {
        if (!enabled) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (shown && now - shownAtNanos < MIN_INTERVAL_NANOS) {
            return;
        }
        // Pad with blanks so a shorter text leaves nothing of the longer one before it.
        err.print("\r" + text + " ".repeat(Math.max(0, shownLength - text.length())));
        err.flush();
        shown = true;
        shownAtNanos = now;
        shownLength = text.length();
    }

    /** Blanks the line, leaving the cursor at its start, so the next output begins on a clean line. */
    void clear() {
        if (shown) {
            err.print("\r" + " ".repeat(shownLength) + "\r");
            err.flush();
            shown = false;
            shownLength = 0;
        }
    }
}
