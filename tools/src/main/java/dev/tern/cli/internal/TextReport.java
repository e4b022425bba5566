package dev.tern.cli.internal;

import dev.tern.compress.prune.WeightSparsity;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code tern inspect} for people: one fact per line, labels in a column, lists indented below. */
final class TextReport {
    private static final String LABEL_FORMAT = "%-17s%s";
    private static final String ITEM_FORMAT = "  %-30s %s%n";
    private static final String NONE = "none";

    private TextReport() {
    }

    static void render(ModelSummary summary, PrintWriter out) {
        line(out, "file", summary.file());
        line(out, "ir version", Long.toString(summary.irVersion()));
        line(out, "opsets", opsets(summary.opsetImports()));
        line(out, "producer", orNone((summary.producerName() + " " + summary.producerVersion()).strip()));
        line(out, "domain", orNone(summary.domain()));
        line(out, "model version", Long.toString(summary.modelVersion()));
        line(out, "doc", orNone(summary.docStringFirstLine()));
        line(out, "graph", orNone(summary.graphName()));
        values(out, "inputs", summary.inputs());
        values(out, "outputs", summary.outputs());
        line(out, "nodes", summary.nodeCount() + " (including subgraphs)");
        for (ModelSummary.OpCount count : summary.opCounts()) {
            out.printf(Locale.ROOT, ITEM_FORMAT, count.op(), count.count());
        }
        line(out, "parameters", String.format(Locale.ROOT, "%,d (%s)",
                summary.parameterCount(), humanBytes(summary.parameterBytes())));
        sparsity(out, summary.weightSparsity());
        line(out, "functions", summary.functions().isEmpty() ? NONE : Integer.toString(summary.functions().size()));
        for (ModelSummary.FunctionSummary function : summary.functions()) {
            out.printf(Locale.ROOT, ITEM_FORMAT, function.name(), function.nodeCount() + " nodes");
        }
        line(out, "metadata", summary.metadata().isEmpty() ? NONE : "");
        summary.metadata().forEach((key, value) ->
                out.printf(Locale.ROOT, ITEM_FORMAT, OneLine.collapse(key), OneLine.collapse(value)));
        line(out, "external data", summary.externalDataFiles().isEmpty()
                ? NONE : String.join(", ", summary.externalDataFiles()));
        out.flush();
    }

    /** The exact zeros of all floating-point weights, then of each: what pruning left. */
    private static void sparsity(PrintWriter out, List<WeightSparsity> weights) {
        if (weights.isEmpty()) {
            line(out, "weight zeros", NONE);
            return;
        }
        line(out, "weight zeros", zeros(WeightSparsity.total(weights)));
        for (WeightSparsity weight : weights) {
            out.printf(Locale.ROOT, ITEM_FORMAT, weight.weight(), zeros(weight));
        }
    }

    /** "80.0% (6,554 of 8,192)". */
    private static String zeros(WeightSparsity weight) {
        return String.format(Locale.ROOT, "%.1f%% (%,d of %,d)", 100 * weight.fraction(), weight.zeros(), weight.count());
    }

    private static void values(PrintWriter out, String label, List<ModelSummary.NamedType> values) {
        line(out, label, values.isEmpty() ? NONE : "");
        for (ModelSummary.NamedType value : values) {
            out.printf(Locale.ROOT, ITEM_FORMAT, value.name(), TypeDescriptions.text(value.type()));
        }
    }

    /** "ai.onnx 14, com.microsoft 1": the default domain "" gets its readable name. */
    private static String opsets(Map<String, Long> imports) {
        if (imports.isEmpty()) {
            return NONE;
        }
        return imports.entrySet().stream()
                .map(e -> (e.getKey().isEmpty() ? "ai.onnx" : e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** Bytes in binary units with one decimal ("86.2 MiB"), exact below 1 KiB. */
    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String orNone(String text) {
        return text.isEmpty() ? NONE : text;
    }

    /** A labelled line; a heading whose items follow below has an empty value and no trailing blanks. */
    private static void line(PrintWriter out, String label, String value) {
        out.println(String.format(Locale.ROOT, LABEL_FORMAT, label, value).stripTrailing());
    }
}
