package dev.tern.bench;

import dev.tern.server.client.InferenceCall;
import dev.tern.server.client.RemoteCallFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Memory readings taken during a soak, not between its steps: the calls it wraps count
 * themselves, and every {@code step} calls a reading is taken on the sampler's own thread while
 * the load goes on. A reading is the heap used after a full collection (what the process
 * retains, with the requests then in flight; garbage would hide a leak) and the resident set.
 */
final class SoakMemorySampler implements AutoCloseable {
    private final long step;
    private final PrintWriter out;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ExecutorService sampler = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "tern-soak-sampler");
        thread.setDaemon(true);
        return thread;
    });

    SoakMemorySampler(long step, PrintWriter out) {
        this.step = step;
        this.out = out;
    }

    /** Prints the table's header and a first reading, before any call. */
    void start() {
        out.println("| requests done | failed | heap after GC | VmRSS |");
        out.println("| ---: | ---: | ---: | ---: |");
        print(0, 0);
    }

    /** {@code calls}, each counting its runs and failures towards the readings. */
    Supplier<InferenceCall> counting(Supplier<InferenceCall> calls) {
        return () -> new CountingCall(calls.get());
    }

    /** Waits for the readings still being taken. */
    @Override
    public void close() throws InterruptedException {
        sampler.shutdown();
        if (!sampler.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("a soak memory reading took over a minute");
        }
    }

    private void print(long requests, long failures) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        double rss;
        try {
            rss = ProcMemory.read().rssMiB();
        } catch (IOException e) {
            rss = Double.NaN;
        }
        out.println(String.format(Locale.ROOT, "| %,d | %d | %.1f MiB | %.1f MiB |", requests, failures,
                heap / 1048576.0, rss));
    }

    private final class CountingCall implements InferenceCall {
        private final InferenceCall call;

        CountingCall(InferenceCall call) {
            this.call = call;
        }

        @Override
        public void run() {
            try {
                call.run();
            } catch (RemoteCallFailure e) {
                failed.incrementAndGet();
                throw e;
            } finally {
                long requests = done.incrementAndGet();
                if (requests % step == 0) {
                    long failures = failed.get();
                    sampler.execute(() -> print(requests, failures));
                }
            }
        }

        @Override
        public void close() {
            call.close();
        }
    }
}
