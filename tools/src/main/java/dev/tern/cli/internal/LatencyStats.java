package dev.tern.cli.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /** The "latency ms" line of the text reports. */
    String textLine() {
        return String.format(Locale.ROOT, "latency ms   p50 %.3f  p90 %.3f  p99 %.3f  max %.3f  mean %.3f",
                millis(p50Nanos), millis(p90Nanos), millis(p99Nanos), millis(maxNanos), meanNanos / 1e6);
    }

    /** The percentiles, max and mean in milliseconds, keyed as the JSON reports print them. */
    Map<String, Object> millisByName() {
        java.util.Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", millis(p50Nanos));
        latency.put("p90", millis(p90Nanos));
        latency.put("p99", millis(p99Nanos));
        latency.put("max", millis(maxNanos));
        latency.put("mean", meanNanos / 1e6);
        return latency;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
