package dev.tern.exec.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops runs whose deadline passes. One daemon thread, started on first use, serves every
 * model of a runtime; it only flips flags, so it never delays a run.
 */
public final class DeadlineTimer implements AutoCloseable {
    private ScheduledExecutorService scheduler;
    private boolean closed;

    /** Stops {@code termination} after {@code timeout}; cancel the result when the run ends first. */
    public synchronized ScheduledFuture<?> schedule(Termination termination, Duration timeout) {
        if (closed) {
            throw new IllegalStateException("the runtime's deadline timer is closed");
        }
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "tern-exec-deadlines");
                thread.setDaemon(true);
                return thread;
            });
        }
        return scheduler.schedule(() -> termination.stop(true), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
