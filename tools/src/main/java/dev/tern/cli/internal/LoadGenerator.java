package dev.tern.cli.internal;

import dev.tern.server.client.InferenceCall;
import dev.tern.server.client.RemoteCallFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Drives a benchmark: {@code concurrency} threads run calls back to back, unmeasured until
 * the warmup ends, then each successful call's latency is logged until the duration is over
 * or, when a request count is set, until that many calls were measured. A call that fails
 * with a {@link RemoteCallFailure} (a server answering with an error) is counted by status
 * and the load goes on; any other failure stops every thread, and its exception is thrown.
 */
public final class LoadGenerator {
    private static final long PROGRESS_INTERVAL_MILLIS = ProgressLine.MIN_INTERVAL_NANOS / 1_000_000;

    /**
     * The latencies of the successful measured calls, the wall-clock time the measured calls
     * took (from the end of warmup to the last call's end), failed measured calls by status, and
     * what the server said about the first failure of each status.
     */
    public record Measurement(LatencyStats latencies, long elapsedNanos, Map<String, Long> failuresByStatus,
                              Map<String, String> firstFailureByStatus) {
        /** Successful calls per second. */
        public double inferencesPerSecond() {
            return latencies.count() * 1e9 / elapsedNanos;
        }

        /** How many measured calls failed, whatever the status. */
        public long failures() {
            return failuresByStatus.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Supplier<InferenceCall> calls;
    private final int concurrency;
    private final long warmupNanos;
    private final long durationNanos;
    private final boolean countsRequests;
    /** Measured calls still to start; never runs out (Long.MAX_VALUE) when measuring for a duration. */
    private final AtomicLong remainingRequests;
    private final LongAdder measuredRuns = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, String> firstFailures = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;

    /**
     * @param calls makes one call per thread
     * @param requests how many calls to measure in all threads together, or 0 to measure
     *     for {@code durationNanos} instead
     */
    public LoadGenerator(Supplier<InferenceCall> calls, int concurrency, long warmupNanos, long durationNanos,
                         long requests) {
        this.calls = calls;
        this.concurrency = concurrency;
        this.warmupNanos = warmupNanos;
        this.countsRequests = requests > 0;
        // Far enough away never to end a request-counted run, yet safe to add to System.nanoTime().
        this.durationNanos = countsRequests ? Long.MAX_VALUE / 4 : durationNanos;
        this.remainingRequests = new AtomicLong(requests > 0 ? requests : Long.MAX_VALUE);
    }

    /** A generator that measures for {@code durationNanos}. */
    public LoadGenerator(Supplier<InferenceCall> calls, int concurrency, long warmupNanos, long durationNanos) {
        this(calls, concurrency, warmupNanos, durationNanos, 0);
    }

    /**
     * Runs the benchmark, reporting progress on {@code progress}, and clears it at the end.
     *
     * @throws RuntimeException the first failure of any run
     * @throws CliFailure if this thread is interrupted
     */
    public Measurement run(ProgressLine progress) {
        List<InferenceCall> threadCalls = new ArrayList<>();
        try {
            for (int i = 0; i < concurrency; i++) {
                threadCalls.add(calls.get());
            }
            return runAll(threadCalls, progress);
        } finally {
            threadCalls.forEach(InferenceCall::close);
            progress.clear();
        }
    }

    private Measurement runAll(List<InferenceCall> calls, ProgressLine progress) {
        long begin = System.nanoTime();
        long measureStart = begin + warmupNanos;
        long measureEnd = measureStart + durationNanos;
        List<LatencyLog> logs = new ArrayList<>();
        long[] finishedAt = new long[calls.size()];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            LatencyLog log = new LatencyLog();
            logs.add(log);
            InferenceCall call = calls.get(i);
            int index = i;
            Thread thread = new Thread(() -> finishedAt[index] = work(call, log, measureStart, measureEnd),
                    "tern-bench-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        awaitAll(threads, progress, begin, measureStart);
        rethrowFailure();
        long lastFinish = measureStart;
        for (long finish : finishedAt) {
            lastFinish = Math.max(lastFinish, finish);
        }
        Map<String, Long> failureCounts = new TreeMap<>();
        failures.forEach((status, count) -> failureCounts.put(status, count.sum()));
        LatencyStats latencies = logs.stream().allMatch(log -> log.size() == 0) ? LatencyStats.NONE : LatencyStats.of(logs);
        return new Measurement(latencies, lastFinish - measureStart, failureCounts, new TreeMap<>(firstFailures));
    }

    /** One thread's loop; returns when it finished, by {@link System#nanoTime()}. */
    private long work(InferenceCall call, LatencyLog log, long measureStart, long measureEnd) {
        try {
            while (!stop && System.nanoTime() < measureStart) {
                try {
                    call.run();
                } catch (RemoteCallFailure e) {
                    // Warmup is unmeasured; a server that keeps failing shows in the measured counts.
                }
            }
            while (!stop && remainingRequests.getAndDecrement() > 0) {
                long start = System.nanoTime();
                try {
                    call.run();
                    log.add(System.nanoTime() - start);
                } catch (RemoteCallFailure e) {
                    failures.computeIfAbsent(e.status(), status -> new LongAdder()).increment();
                    firstFailures.putIfAbsent(e.status(), e.detail());
                }
                long end = System.nanoTime();
                measuredRuns.increment();
                if (end >= measureEnd) {
                    return end;
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
            stop = true;
        }
        return System.nanoTime();
    }

    private void awaitAll(List<Thread> threads, ProgressLine progress, long begin, long measureStart) {
        try {
            for (Thread thread : threads) {
                while (thread.isAlive()) {
                    thread.join(PROGRESS_INTERVAL_MILLIS);
                    progress.show(status(System.nanoTime(), begin, measureStart));
                }
            }
        } catch (InterruptedException e) {
            stop = true;
            Thread.currentThread().interrupt();
            throw CliFailure.failed("the benchmark was interrupted", e);
        }
    }

    private String status(long now, long begin, long measureStart) {
        if (now < measureStart) {
            return String.format(Locale.ROOT, "warming up %.1f/%.1f s", (now - begin) / 1e9, warmupNanos / 1e9);
        }
        double measuredSeconds = (now - measureStart) / 1e9;
        long runs = measuredRuns.sum();
        if (countsRequests) {
            return String.format(Locale.ROOT, "measuring %.1f s, %d runs, %.1f runs/s",
                    measuredSeconds, runs, runs / Math.max(measuredSeconds, 1e-3));
        }
        return String.format(Locale.ROOT, "measuring %.1f/%.1f s, %d runs, %.1f runs/s",
                Math.min(measuredSeconds, durationNanos / 1e9), durationNanos / 1e9, runs, runs / Math.max(measuredSeconds, 1e-3));
    }

    private void rethrowFailure() {
        Throwable first = failure.get();
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first instanceof Error error) {
            throw error;
        }
    }
}
