package dev.tern.bench;

import dev.tern.cli.internal.LatencyStats;
import dev.tern.cli.internal.LoadGenerator;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The load benchmark's results: one Markdown table row per measurement as it is taken, kept
 * by case so that the serving targets' ratios can be worked out at the end.
 */
final class LoadTable {
    /** One measured combination: a model, the path the calls take, how it is served, how many callers. */
    record Case(String model, String path, String variant, int concurrency) {
    }

    private final PrintWriter out;
    private final Map<Case, LoadGenerator.Measurement> results = new HashMap<>();

    LoadTable(PrintWriter out) {
        this.out = out;
    }

    void header(String title) {
        out.println();
        out.println("| " + title + " | server config | concurrency | requests/s | p50 | p90 | p99 | p99/p50 | failed |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    }

    void add(Case key, LoadGenerator.Measurement measurement) {
        results.put(key, measurement);
        LatencyStats latencies = measurement.latencies();
        out.println(String.format(Locale.ROOT, "| %s | %s | %d | %,.1f | %s | %s | %s | %.1f | %s |", key.path(),
                key.variant(), key.concurrency(), measurement.inferencesPerSecond(),
                duration(latencies.p50Nanos()), duration(latencies.p90Nanos()), duration(latencies.p99Nanos()),
                p99OverP50(measurement), failures(measurement)));
    }

    /** "0", or the count and each status's share: "3 (IO_ERROR 2, HTTP 503 1)". */
    private static String failures(LoadGenerator.Measurement measurement) {
        if (measurement.failures() == 0) {
            return "0";
        }
        StringJoiner statuses = new StringJoiner(", ", " (", ")");
        measurement.failuresByStatus().forEach((status, count) -> statuses.add(status + " " + count));
        return measurement.failures() + statuses.toString();
    }

    LoadGenerator.Measurement get(Case key) {
        LoadGenerator.Measurement measurement = results.get(key);
        if (measurement == null) {
            throw new IllegalStateException("no measurement for " + key);
        }
        return measurement;
    }

    static double p99OverP50(LoadGenerator.Measurement measurement) {
        LatencyStats latencies = measurement.latencies();
        return (double) latencies.p99Nanos() / Math.max(latencies.p50Nanos(), 1);
    }

    /** Microseconds below a millisecond, milliseconds above. */
    static String duration(long nanos) {
        return nanos < 1_000_000 ? String.format(Locale.ROOT, "%.1f us", nanos / 1e3)
                : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
