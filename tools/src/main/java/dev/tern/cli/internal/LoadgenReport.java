package dev.tern.cli.internal;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What {@code tern loadgen} reports: the setup, latency percentiles in milliseconds, throughput and failures. */
record LoadgenReport(String url, String protocol, String model, int concurrency, double warmupSeconds,
                     LoadGenerator.Measurement measurement) {

    void printText(PrintWriter out) {
        LatencyStats latencies = measurement.latencies();
        out.println("server       " + protocol + " " + url + ", model " + model + ", concurrency " + concurrency);
        out.println(String.format(Locale.ROOT, "requests     %d ok, %d failed in %.2f s after %.2f s of warmup",
                latencies.count(), measurement.failures(), measurement.elapsedNanos() / 1e9, warmupSeconds));
        out.println(latencies.textLine());
        out.println(String.format(Locale.ROOT, "throughput   %.1f requests/s", measurement.inferencesPerSecond()));
        measurement.failuresByStatus().forEach((status, count) -> out.println("failed       " + count + " "
                + describe(status)));
    }

    String json() {
        LatencyStats latencies = measurement.latencies();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", url);
        json.put("protocol", protocol);
        json.put("model", model);
        json.put("concurrency", concurrency);
        json.put("warmupSeconds", warmupSeconds);
        json.put("elapsedSeconds", measurement.elapsedNanos() / 1e9);
        json.put("count", latencies.count());
        json.put("latencyMs", latencies.millisByName());
        json.put("requestsPerSecond", measurement.inferencesPerSecond());
        json.put("failures", measurement.failuresByStatus());
        json.put("firstFailureMessages", measurement.firstFailureByStatus());
        return Json.write(json);
    }

    /** The status with what the server said about its first failure. */
    private String describe(String status) {
        String detail = measurement.firstFailureByStatus().getOrDefault(status, "");
        return detail.isEmpty() ? status : status + ": " + detail;
    }

}
