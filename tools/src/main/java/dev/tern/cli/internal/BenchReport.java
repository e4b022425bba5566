package dev.tern.cli.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code tern bench} reports: the setup, latency percentiles in milliseconds and
 * throughput in inferences and samples per second.
 *
 * @param adapter the LoRA adapter every run applies, or null
 * @param inputs each input's type as generated ("int64[8,128]"), by name
 * @param samplesPerInference the first dimension of the first input: the batch size for
 *     batched models, 1 for an input of rank 0 or no inputs
 */
record BenchReport(Path model, Path adapter, BenchTarget.CallPath path, int concurrency, int threads, Map<String, String> inputs,
                   long samplesPerInference, double warmupSeconds, LoadGenerator.Measurement measurement) {

    void printText(PrintWriter out) {
        LatencyStats latencies = measurement.latencies();
        out.println("model        " + model);
        if (adapter != null) {
            out.println("adapter      " + adapter);
        }
        out.println("inputs       " + String.join(", ", inputs.entrySet().stream()
                .map(input -> input.getKey() + " " + input.getValue()).toList()));
        out.println("setup        " + path.description() + ", concurrency " + concurrency + ", intra-op threads "
                + (threads == 0 ? "ONNX Runtime's choice" : threads));
        out.println(String.format(Locale.ROOT, "runs         %d in %.2f s after %.2f s of warmup",
                latencies.count(), measurement.elapsedNanos() / 1e9, warmupSeconds));
        out.println(latencies.textLine());
        out.println(String.format(Locale.ROOT, "throughput   %.1f inferences/s, %.1f samples/s",
                measurement.inferencesPerSecond(), samplesPerSecond()));
    }

    String json() {
        LatencyStats latencies = measurement.latencies();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.toString());
        json.put("adapter", adapter == null ? null : adapter.toString());
        json.put("inputs", inputs);
        json.put("path", path.description());
        json.put("concurrency", concurrency);
        json.put("intraOpThreads", threads);
        json.put("samplesPerInference", samplesPerInference);
        json.put("warmupSeconds", warmupSeconds);
        json.put("elapsedSeconds", measurement.elapsedNanos() / 1e9);
        json.put("count", latencies.count());
        json.put("latencyMs", latencies.millisByName());
        json.put("inferencesPerSecond", measurement.inferencesPerSecond());
        json.put("samplesPerSecond", samplesPerSecond());
        return Json.write(json);
    }

    private double samplesPerSecond() {
        return measurement.inferencesPerSecond() * samplesPerInference;
    }

}
