package dev.tern.cli.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Latency percentiles over every run of a benchmark, from all threads' logs merged and sorted.
 * Percentiles use the nearest-rank method: p50 is a latency some run actually had.
 */
public record LatencyStats(long count, long p50Nanos, long p90Nanos, long p99Nanos, long maxNanos, double meanNanos) {
    /** No latency at all: every measured call failed. */
    static final LatencyStats NONE = new LatencyStats(0, 0, 0, 0, 0, 0);

    /** @throws IllegalArgumentException if the logs hold no latency at all */
    static LatencyStats of(List<LatencyLog> logs) {
        int total = 0;
        for (LatencyLog log : logs) {
            total = Math.addExact(total, log.size());
        }
        if (total == 0) {
            throw new IllegalArgumentException("no latencies recorded");
        }
        long[] all = new long[total];
        int offset = 0;
        for (LatencyLog log : logs) {
            log.copyTo(all, offset);
            offset += log.size();
        }
        Arrays.sort(all);
        double sum = 0;
        for (long nanos : all) {
            sum += nanos;
        }
        return new LatencyStats(total, percentile(all, 50), percentile(all, 90), percentile(all, 99),
                all[total - 1], sum / total);
    }

    /** The smallest latency at least {@code percent}% of runs did not exceed. */
    static long percentile(long[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
