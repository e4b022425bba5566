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
        out.println("unknown        " + report.untypedValues().size());
        for (Value value : report.untypedValues()) {
            out.println("  " + OneLine.collapse(value.name()));
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

    /** "Foo (2 nodes), com.example::Bar (1 node)". */
    private static String describe(Map<String, Integer> ops) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(ops).forEach((op, count) -> text.append(text.length() == 0 ? "" : ", ")
                .append(op).append(" (").append(count).append(count == 1 ? " node)" : " nodes)"));
        return text.toString();
    }
}
