package dev.tern.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Collects case results and prints the per-suite table, the skip reasons and the failures. */
final class ConformanceReport {
    private final Map<String, List<CaseResult>> bySuite = new LinkedHashMap<>();

    void add(CaseResult result) {
        bySuite.computeIfAbsent(result.testCase().suite(), s -> new ArrayList<>()).add(result);
    }

    List<CaseResult> failures() {
        return all().stream().filter(r -> r.outcome() == CaseResult.Outcome.FAILED).toList();
    }

    long count(CaseResult.Outcome outcome) {
        return all().stream().filter(r -> r.outcome() == outcome).count();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-20s %7s %7s %7s%n", "suite", "passed", "failed", "skipped"));
        for (Map.Entry<String, List<CaseResult>> suite : bySuite.entrySet()) {
            out.append(String.format("%-20s %7d %7d %7d%n", suite.getKey(),
                    count(suite.getValue(), CaseResult.Outcome.PASSED),
                    count(suite.getValue(), CaseResult.Outcome.FAILED),
                    count(suite.getValue(), CaseResult.Outcome.SKIPPED)));
        }
        out.append(String.format("%-20s %7d %7d %7d%n", "total", count(CaseResult.Outcome.PASSED),
                count(CaseResult.Outcome.FAILED), count(CaseResult.Outcome.SKIPPED)));
        out.append("\nSkipped (ONNX Runtime itself cannot run or pass the original model):\n");
        Map<String, List<String>> byReason = new TreeMap<>();
        for (CaseResult result : all()) {
            if (result.outcome() == CaseResult.Outcome.SKIPPED) {
                byReason.computeIfAbsent(summarize(result.reason()), r -> new ArrayList<>())
                        .add(result.testCase().toString());
            }
        }
        byReason.forEach((reason, cases) -> out.append(String.format("  %3d  %s%n       e.g. %s%n",
                cases.size(), reason, String.join(", ", cases.subList(0, Math.min(3, cases.size()))))));
        List<CaseResult> failures = failures();
        if (!failures.isEmpty()) {
            out.append("\nFailed (Tern's round trip, or Tern's executor on the round-tripped model):\n");
            failures.forEach(f -> out.append("  ").append(f.testCase()).append(": ").append(f.reason()).append('\n'));
        }
        return out.toString();
    }

    private List<CaseResult> all() {
        return bySuite.values().stream().flatMap(List::stream).toList();
    }

    private static long count(List<CaseResult> results, CaseResult.Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /** The first line of a reason without file paths, shortened so that alike reasons group together. */
    private static String summarize(String reason) {
        String line = reason.lines().findFirst().orElse("").replaceAll("/\\S*/model\\.onnx", "model.onnx");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}
