package dev.tern.server.internal.statistics;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Triton's per-model metrics in Prometheus' text format, under Triton's names and labels
 * ({@code model}, {@code version}), so dashboards built for Triton read Tern. They are written
 * from each version's {@link VersionStatistics} at scrape time, so they add nothing to a
 * request's path. Written by hand rather than through the Prometheus client, which would append
 * {@code _total} to every counter's name and so rename Triton's.
 */
public final class TritonMetrics {
    /** One loaded version's statistics and its requests waiting to run, as a scrape sees them. */
    public record Source(String model, long version, VersionStatistics statistics, long pendingRequests) {
    }

    private record Family(String name, String type, String help, ToLongFunction<Source> value) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("nv_inference_request_success", "counter",
                    "Number of successful inference requests, all batch sizes", s -> s.statistics().successes()),
            new Family("nv_inference_request_failure", "counter",
                    "Number of failed inference requests, all batch sizes", s -> s.statistics().failures()),
            new Family("nv_inference_count", "counter",
                    "Number of inferences performed (does not include cached requests)",
                    s -> s.statistics().inferences()),
            new Family("nv_inference_exec_count", "counter",
                    "Number of model executions performed (does not include cached requests)",
                    s -> s.statistics().executions()),
            new Family("nv_inference_request_duration_us", "counter",
                    "Cumulative inference request duration in microseconds (includes cached requests)",
                    s -> micros(s.statistics().requestNanos())),
            new Family("nv_inference_queue_duration_us", "counter",
                    "Cumulative inference queuing duration in microseconds (includes cached requests)",
                    s -> micros(s.statistics().queueNanos())),
            new Family("nv_inference_compute_infer_duration_us", "counter",
                    "Cumulative compute inference duration in microseconds (does not include cached requests)",
                    s -> micros(s.statistics().computeInferNanos())),
            new Family("nv_cache_num_hits_per_model", "counter",
                    "Number of cache hits per model", s -> s.statistics().cacheHits()),
            new Family("nv_cache_num_misses_per_model", "counter",
                    "Number of cache misses per model", s -> s.statistics().cacheMisses()),
            new Family("nv_cache_hit_duration_per_model", "counter",
                    "Total cache hit duration per model, in microseconds", s -> micros(s.statistics().cacheHitNanos())),
            new Family("nv_cache_miss_duration_per_model", "counter",
                    "Total cache miss (insert+lookup) duration per model, in microseconds",
                    s -> micros(s.statistics().cacheMissNanos())),
            new Family("nv_inference_pending_request_count", "gauge",
                    "Instantaneous number of pending requests awaiting execution per-model.",
                    Source::pendingRequests));

    private TritonMetrics() {
    }

    /** Every family with one sample per source; a family with no source is still declared. */
    public static String text(List<Source> sources) {
        StringBuilder out = new StringBuilder();
        for (Family family : FAMILIES) {
            out.append("# HELP ").append(family.name()).append(' ').append(family.help()).append('\n');
            out.append("# TYPE ").append(family.name()).append(' ').append(family.type()).append('\n');
            for (Source source : sources) {
                out.append(family.name()).append("{model=\"").append(escape(source.model()))
                        .append("\",version=\"").append(source.version()).append("\"} ")
                        .append(family.value().applyAsLong(source)).append('\n');
            }
        }
        return out.toString();
    }

    private static long micros(long nanos) {
        return nanos / 1000;
    }

    /** A label value as the text format needs it: backslash, quote and newline escaped. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
