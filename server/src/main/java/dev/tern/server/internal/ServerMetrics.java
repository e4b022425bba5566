package dev.tern.server.internal;

import dev.tern.server.Status;
import dev.tern.server.internal.repository.ModelVersion;
import dev.tern.server.internal.statistics.TritonMetrics;
import dev.tern.server.internal.cache.ResponseCache;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics, per model and version: inference requests by outcome, and
 * latency histograms for queueing (arrival to the start of the model run: decoding, waiting
 * for an instance or a batch), compute (the model run) and total, plus how many requests each
 * model run served, requests by the LoRA adapter they chose, and the response cache's size. Model
 * and adapter labels only ever name loaded ones, so clients cannot grow the label set.
 * Beside them, Triton's families ({@link TritonMetrics}) for the loaded versions.
 * One registry per server. Thread-safe.
 */
public final class ServerMetrics {
    /** Prometheus' text format content type, for the HTTP answer. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final double[] LATENCY_BOUNDS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Counter adapterRequests;
    private final Histogram queue;
    private final Histogram compute;
    private final Histogram total;
    private final Histogram batchSize;
    private volatile Supplier<List<ModelVersion>> loadedVersions = List::of;

    public ServerMetrics() {
        requests = Counter.builder()
                .name("tern_inference_requests_total")
                .help("Inference requests answered, by model, version and outcome (ok or the status code).")
                .labelNames("model", "version", "outcome")
                .register(registry);
        adapterRequests = Counter.builder()
                .name("tern_inference_adapter_requests_total")
                .help("Inference requests that chose a LoRA adapter, answered, by model, version, adapter and"
                        + " outcome (ok or the status code).")
                .labelNames("model", "version", "adapter", "outcome")
                .register(registry);
        queue = latency("tern_inference_queue_seconds",
                "Time from a request's arrival to the start of its model run: decoding and waiting for an instance"
                        + " or a batch.");
        compute = latency("tern_inference_compute_seconds", "Time of one model run, per request it served.");
        total = latency("tern_inference_request_seconds", "Time from a request's arrival to its answer.");
        batchSize = Histogram.builder()
                .name("tern_inference_batch_requests")
                .help("Requests served by one model run (1 without dynamic batching).")
                .labelNames("model", "version")
                .classicOnly()
                .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128)
                .register(registry);
    }

    /** Counts one answered request; {@code model} and {@code version} are empty when no loaded model was found. */
    public void answered(String model, String version, Status.Code outcome, long totalNanos) {
        requests.labelValues(model, version, outcome.name().toLowerCase(Locale.ROOT)).inc();
        total.labelValues(model, version).observe(seconds(totalNanos));
    }

    /**
     * Counts one answered request that ran, or was to run, with {@code adapter}, an adapter
     * {@code model} holds (so clients cannot grow the label set).
     */
    public void answeredWithAdapter(ModelVersion model, String adapter, Status.Code outcome) {
        adapterRequests.labelValues(model.name(), Long.toString(model.version()), adapter,
                outcome.name().toLowerCase(Locale.ROOT)).inc();
    }

    /** Records one request's wait before its run. */
    public void queued(ModelVersion model, long nanos) {
        queue.labelValues(model.name(), Long.toString(model.version())).observe(seconds(nanos));
    }

    /** Records one model run serving {@code requests} requests. */
    public void ran(ModelVersion model, long nanos, int requests) {
        String version = Long.toString(model.version());
        batchSize.labelValues(model.name(), version).observe(requests);
        compute.labelValues(model.name(), version).observe(seconds(nanos));
    }

    /** Reports {@code cache}'s size, entries and evictions as {@code tern_response_cache_*}. Call once. */
    public void reportResponseCache(ResponseCache cache) {
        GaugeWithCallback.builder()
                .name("tern_response_cache_bytes")
                .help("Bytes the response cache holds, each entry charged its answer's size and its bookkeeping.")
                .callback(callback -> callback.call(cache.bytes()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tern_response_cache_entries")
                .help("Answers the response cache holds.")
                .callback(callback -> callback.call(cache.entries()))
                .register(registry);
        CounterWithCallback.builder()
                .name("tern_response_cache_evictions")
                .help("Answers evicted from the response cache to stay within its size.")
                .callback(callback -> callback.call(cache.evictions()))
                .register(registry);
    }

    /**
     * Adds Triton's metric families to every scrape, for the versions {@code loaded} lists then.
     * Set once the repository that records into these metrics exists.
     */
    public void reportTritonMetricsOf(Supplier<List<ModelVersion>> loaded) {
        this.loadedVersions = loaded;
    }

    /** Every metric in Prometheus' text format. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics to memory", e);
        }
        List<TritonMetrics.Source> sources = loadedVersions.get().stream().map(model -> new TritonMetrics.Source(
                model.name(), model.version(), model.statistics(), model.scheduler().pendingRequests())).toList();
        out.writeBytes(TritonMetrics.text(sources).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private Histogram latency(String name, String help) {
        return Histogram.builder()
                .name(name)
                .help(help)
                .labelNames("model", "version")
                .classicOnly()
                .classicUpperBounds(LATENCY_BOUNDS)
                .register(registry);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
