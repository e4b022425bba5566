package dev.tern.cli.internal;

import dev.tern.ir.InferenceReport;
import dev.tern.ir.Value;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** {@code tern check} for people: validation, then one line per value, then what is unknown or wrong. */
final class CheckTextReport {
    private static final String VALUE_FORMAT = "  %-32s %-28s %s%n";
    private static final String UNKNOWN_FORMAT = "  %-32s %s%n";

    private CheckTextReport() {
    }

    static void render(CheckSummary summary, String mainGraph, PrintWriter out) {
        out.println("file           " + summary.file());
        if (!summary.valid()) {
            out.println("validation     FAILED: " + summary.validationError());
            out.flush();
            return;
        }
        out.println("validation     ok");
        InferenceReport report = summary.inference();
        out.println("values         " + summary.values().size());
        for (CheckSummary.ValueLine value : summary.values()) {
            String origin = value.graph().equals(mainGraph) ? value.origin() : value.origin() + " in graph '" + value.graph() + "'";
            out.printf(Locale.ROOT, VALUE_FORMAT, OneLine.collapse(value.name()), TypeDescriptions.text(value.type()), origin);
        }
        out.println("unknown        " + unknownCounts(summary));
        for (Value value : summary.unknownValues()) {
            out.printf(Locale.ROOT, UNKNOWN_FORMAT, OneLine.collapse(value.name()), TypeDescriptions.text(value.type()));
        }
        if (!report.opsWithoutRule().isEmpty()) {
            out.println("no rule for    " + describe(report.opsWithoutRule()));
        }
        out.println("contradictions " + report.contradictions().size());
        report.contradictions().forEach(c -> out.println("  " + OneLine.collapse(c.describe())));
        out.println("conflicts      " + report.conflicts().size());
        report.conflicts().forEach(c -> out.println("  " + OneLine.collapse(c.describe())));
        out.flush();
    }

    /** "0", or "12 (3 without a type, 9 with some unknown dim)". */
    private static String unknownCounts(CheckSummary summary) {
        int untyped = summary.inference().untypedValues().size();
        int withUnknownDims = summary.inference().valuesWithUnknownDims().size();
        if (untyped + withUnknownDims == 0) {
            return "0";
        }
        return (untyped + withUnknownDims) + " (" + untyped + " without a type, " + withUnknownDims
                + " with some unknown dim)";
    }

    /** "Foo (2 nodes), com.example::Bar (1 node)". */
    private static String describe(Map<String, Integer> ops) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(ops).forEach((op, count) -> text.append(text.length() == 0 ? "" : ", ")
                .append(op).append(" (").append(count).append(count == 1 ? " node)" : " nodes)"));
        return text.toString();
    }
}
