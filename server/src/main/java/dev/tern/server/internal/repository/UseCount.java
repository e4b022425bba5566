package dev.tern.server.internal.repository;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests using something that may be retired under them (a model version, an adapter):
 * once retired it takes no new users and runs its closing action when the last one is done, so
 * retiring under traffic fails no request that already holds it. Thread-safe.
 */
final class UseCount {
    private final Runnable close;
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean retired;

    /** @param close run once, by {@link #retire()} or the last {@link #release()} after it */
    UseCount(Runnable close) {
        this.close = close;
    }

    /** Counts one more user; false once retired. Each true result needs one {@link #release()}. */
    boolean tryAcquire() {
        inUse.incrementAndGet();
        if (retired) {
            release();
            return false;
        }
        return true;
    }

    /** Ends one use; the last one after {@link #retire()} closes. */
    void release() {
        if (inUse.decrementAndGet() == 0 && retired) {
            closeOnce();
        }
    }

    /** Takes no more users and closes once those there are done. Idempotent. */
    void retire() {
        retired = true;
        if (inUse.get() == 0) {
            closeOnce();
        }
    }

    /** Whether {@link #retire()} was called. */
    boolean isRetired() {
        return retired;
    }

    /** Whether the closing action has run. */
    boolean isClosed() {
        return closed.get();
    }

    private void closeOnce() {
        if (closed.compareAndSet(false, true)) {
            close.run();
        }
    }
}
