package dev.tern.cli.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code tern prune} prints: how it pruned, the model before and after (parameters,
 * non-zero weights, file size, median latency of a short timed run, validation accuracy when
 * there are validation data), and per layer what was removed or how sparse it ended.
 *
 * @param method "unstructured, global", "structured, l2 norm", ...
 * @param layers one line per pruned weight ("fc1.weight: 102 of 128 channels")
 */
record PruneReport(Path input, Path output, String method, double sparsity, Side before, Side after, int timingBatch,
                   List<String> layers) {

    /**
     * One model's measurements.
     *
     * @param accuracy NaN without validation data or class labels
     */
    record Side(long parameters, long nonZero, long fileBytes, double latencyMillis, double accuracy) {
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("parameters", parameters);
            json.put("nonZero", nonZero);
            json.put("fileBytes", fileBytes);
            json.put("medianLatencyMs", latencyMillis);
            if (!Double.isNaN(accuracy)) {
                json.put("accuracy", accuracy);
            }
            return json;
        }
    }

    void printText(PrintWriter out) {
        out.printf(Locale.ROOT, "pruned %s -> %s: %s, sparsity %.2f%n", input, output, method, sparsity);
        out.printf(Locale.ROOT, "%-26s%16s%16s%n", "", "before", "after");
        row(out, "parameters", String.format(Locale.ROOT, "%,d", before.parameters()),
                String.format(Locale.ROOT, "%,d", after.parameters()));
        row(out, "non-zero", String.format(Locale.ROOT, "%,d", before.nonZero()),
                String.format(Locale.ROOT, "%,d", after.nonZero()));
        row(out, "file size", TextReport.humanBytes(before.fileBytes()), TextReport.humanBytes(after.fileBytes()));
        row(out, "latency, batch " + timingBatch, millis(before.latencyMillis()), millis(after.latencyMillis()));
        if (!Double.isNaN(before.accuracy())) {
            row(out, "validation accuracy", percent(before.accuracy()), percent(after.accuracy()));
        }
        out.printf(Locale.ROOT, "speedup %.2fx (median latency before / after, one short alternating run each)%n",
                speedup());
        for (String layer : layers) {
            out.println("  " + layer);
        }
    }

    String json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("input", input.toString());
        json.put("output", output.toString());
        json.put("method", method);
        json.put("sparsity", sparsity);
        json.put("timingBatch", timingBatch);
        json.put("before", before.json());
        json.put("after", after.json());
        json.put("speedup", speedup());
        json.put("layers", layers);
        return Json.write(json);
    }

    private double speedup() {
        return before.latencyMillis() / after.latencyMillis();
    }

    private static void row(PrintWriter out, String label, String before, String after) {
        out.printf(Locale.ROOT, "%-26s%16s%16s%n", label, before, after);
    }

    private static String millis(double value) {
        return String.format(Locale.ROOT, "%.3f ms", value);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * value);
    }
}
