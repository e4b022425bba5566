package dev.tern.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Collects case results and prints the per-suite table, the skips by category and reason, and the failures. */
final class ConformanceReport {
    private final Map<String, List<CaseResult>> bySuite = new LinkedHashMap<>();

    void add(CaseResult result) {
        bySuite.computeIfAbsent(result.testCase().suite(), s -> new ArrayList<>()).add(result);
    }

    List<CaseResult.Failed> failures() {
        return all().stream().filter(CaseResult.Failed.class::isInstance).map(CaseResult.Failed.class::cast).toList();
    }

    List<CaseResult.Skipped> skips() {
        return all().stream().filter(CaseResult.Skipped.class::isInstance).map(CaseResult.Skipped.class::cast).toList();
    }

    /** Case counts per suite ("node" to 932), in the order the suites were run. */
    Map<String, Integer> casesPerSuite() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        bySuite.forEach((suite, results) -> counts.put(suite, results.size()));
        return counts;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-20s %7s %7s %7s%n", "suite", "passed", "failed", "skipped"));
        bySuite.forEach((suite, results) -> out.append(row(suite, results)));
        out.append(row("total", all()));
        out.append("\nSkipped, by category and reason (the full list is committed in ")
                .append(BackendConformanceTest.SKIPS_FILE).append("):\n");
        Map<SkipReason.Category, Map<String, List<CaseResult.Skipped>>> byReason = new TreeMap<>();
        for (CaseResult.Skipped skip : skips()) {
            byReason.computeIfAbsent(skip.reason().category(), c -> new TreeMap<>())
                    .computeIfAbsent(skip.reason().detail(), d -> new ArrayList<>()).add(skip);
        }
        byReason.forEach((category, details) -> {
            out.append(String.format("  %s: %s (%d)%n", category, category.meaning(),
                    details.values().stream().mapToInt(List::size).sum()));
            details.forEach((detail, cases) -> out.append(String.format("    %3d  %s%n         e.g. %s%n",
                    cases.size(), detail, example(cases.get(0)))));
        });
        List<CaseResult.Failed> failures = failures();
        if (!failures.isEmpty()) {
            out.append("\nFailed (Tern's decoder, round trip or executor):\n");
            failures.forEach(f -> out.append("  ").append(f.testCase()).append(": ").append(f.reason()).append('\n'));
        }
        return out.toString();
    }

    private static String example(CaseResult.Skipped skip) {
        String evidence = skip.reason().evidence();
        return skip.testCase() + (evidence.equals(skip.reason().detail()) ? "" : ": " + evidence);
    }

    private static String row(String label, List<CaseResult> results) {
        return String.format("%-20s %7d %7d %7d%n", label, count(results, CaseResult.Passed.class),
                count(results, CaseResult.Failed.class), count(results, CaseResult.Skipped.class));
    }

    private List<CaseResult> all() {
        return bySuite.values().stream().flatMap(List::stream).toList();
    }

    private static long count(List<CaseResult> results, Class<? extends CaseResult> outcome) {
        return results.stream().filter(outcome::isInstance).count();
    }
}
