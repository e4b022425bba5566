package dev.tern.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives a benchmark: {@code concurrency} threads run the model back to back, unmeasured
 * until the warmup ends, then each run's latency is logged until the duration is over. A
 * run that fails stops every thread, and its exception is thrown.
 */
final class LoadGenerator {
    private static final long PROGRESS_INTERVAL_MILLIS = ProgressLine.MIN_INTERVAL_NANOS / 1_000_000;

    /** The latencies and the wall-clock time the measured runs took, from the end of warmup to the last run's end. */
    record Measurement(LatencyStats latencies, long elapsedNanos) {
        double inferencesPerSecond() {
            return latencies.count() * 1e9 / elapsedNanos;
        }
    }

    private final BenchTarget target;
    private final int concurrency;
    private final long warmupNanos;
    private final long durationNanos;
    private final LongAdder measuredRuns = new LongAdder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;

    LoadGenerator(BenchTarget target, int concurrency, long warmupNanos, long durationNanos) {
        this.target = target;
        this.concurrency = concurrency;
        this.warmupNanos = warmupNanos;
        this.durationNanos = durationNanos;
    }

    /**
     * Runs the benchmark, reporting progress on {@code progress}, and clears it at the end.
     *
     * @throws RuntimeException the first failure of any run
     * @throws CliFailure if this thread is interrupted
     */
    Measurement run(ProgressLine progress) {
        List<InferenceCall> calls = new ArrayList<>();
        try {
            for (int i = 0; i < concurrency; i++) {
                calls.add(target.newCall());
            }
            return runAll(calls, progress);
        } finally {
            calls.forEach(InferenceCall::close);
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
        return new Measurement(LatencyStats.of(logs), lastFinish - measureStart);
    }

    /** One thread's loop; returns when it finished, by {@link System#nanoTime()}. */
    private long work(InferenceCall call, LatencyLog log, long measureStart, long measureEnd) {
        try {
            while (!stop && System.nanoTime() < measureStart) {
                call.run();
            }
            while (!stop) {
                long start = System.nanoTime();
                call.run();
                long end = System.nanoTime();
                log.add(end - start);
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
