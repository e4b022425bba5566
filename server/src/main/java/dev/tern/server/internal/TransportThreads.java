package dev.tern.server.internal;

import dev.tern.server.internal.scheduling.RequestScheduler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;

/**
 * The threads of the server's own event loops, where the gRPC and REST transports decode
 * requests and write answers, made recognizable so that a {@link RequestScheduler} never runs a
 * model on one: a run there would stall every connection of that loop. Any other thread
 * submitting a request (an in-process caller that blocks on the answer) may run it itself.
 */
public final class TransportThreads {
    private TransportThreads() {
    }

    /** A factory of daemon event-loop threads named {@code prefix-N-M}, each recognized by {@link #isCurrent()}. */
    public static ThreadFactory factory(String prefix) {
        return new DefaultThreadFactory(prefix, true) {
            @Override
            protected Thread newThread(Runnable task, String name) {
                return new TransportThread(threadGroup, task, name);
            }
        };
    }

    /** Whether the calling thread is one of the server's event-loop threads. */
    public static boolean isCurrent() {
        return Thread.currentThread() instanceof TransportThread;
    }

    /** Netty's own thread type, so that its fast thread-locals keep working, marked as ours. */
    private static final class TransportThread extends FastThreadLocalThread {
        TransportThread(ThreadGroup group, Runnable task, String name) {
            super(group, task, name);
        }
    }
}
