package dev.tern.exec;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cancels runs from another thread. Pass it to runs through {@link RunControl}; {@link #cancel()}
 * stops every run using it that is in progress and makes later ones fail at once. A token
 * cannot be reset. Thread-safe.
 */
public final class CancellationToken {
    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    /** Stops the runs using this token; they throw {@link RunCancelledException}. Idempotent. */
    public void cancel() {
        cancelled = true;
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Calls {@code onCancel} when the token is cancelled (at once if it already is) until
     * {@link #unregister} removes it. For the executor's own use.
     */
    void register(Runnable onCancel) {
        listeners.add(onCancel);
        if (cancelled) {
            onCancel.run();
        }
    }

    void unregister(Runnable onCancel) {
        listeners.remove(onCancel);
    }
}
