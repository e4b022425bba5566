package dev.tern.conformance;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tern's shape inference against the shapes ONNX Runtime actually produces, on every backend
 * test case ORT can run: every node output of the main graph is inferred from scratch (its
 * declared type erased) and judged against ORT's value; known dimensions must agree, symbols
 * must be consistent, element types must match. A single disagreement fails.
 *
 * <p>What inference achieves is committed per op type in
 * {@code tests/src/test/resources/conformance/shape-inference-by-op.txt}: how many values ORT
 * produced, how many inference left untyped, and how many of their dimensions it inferred as
 * known, symbolic or unknown (declared graph inputs do not count). The test fails on any
 * difference, a drop (a rule falling back to "unknown") as much as a rise (an improvement
 * that should be recorded). After improving inference, regenerate the file and review its diff:
 * <pre>
 * mvn -B -ntp -q -pl tests -am test -Dtest=ShapeInferenceConformanceTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtern.conformance.update=true
 * git diff tests/src/test/resources/conformance/shape-inference-by-op.txt
 * </pre>
 * Missing test data fail the test.
 */
class ShapeInferenceConformanceTest {
    private static final Path DATA = Path.of(System.getProperty("tern.onnx.testdata",
            "/usr/share/libonnx-testdata/data"));
    private static final List<String> SUITES = List.of("node", "pytorch-converted", "pytorch-operator", "simple");
    private static final ExpectationFile BY_OP = ExpectationFile.committed("shape-inference-by-op.txt", List.of(
            "Shape inference against ONNX Runtime, per op type, over the node outputs of the backend cases ORT runs:",
            "op | values ORT produced, values left untyped, and their dimensions inferred known (and equal to ORT's),",
            "symbolic or unknown. ShapeInferenceConformanceTest fails when its counts differ from these.",
            "Regenerate on purpose, from the repository's root, then review the diff in git:",
            "  " + ExpectationFile.regenerationCommand(ShapeInferenceConformanceTest.class.getSimpleName())));

    @Test
    void inferredShapesAgreeWithWhatOrtComputes() {
        assertTrue(Files.isDirectory(DATA), "ONNX backend test data missing at " + DATA
                + ": install Debian's libonnx-testdata (bin/test does so when run as root)");
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        ShapeProbe probe = new ShapeProbe(env);
        List<ShapeAgreement> results = new ArrayList<>();
        for (String suite : SUITES) {
            for (BackendCase testCase : BackendCase.listSuite(DATA, suite)) {
                results.add(probe.check(testCase));
            }
        }
        SortedMap<String, DimCounts> byOp = countsByOp(results);
        System.out.println(render(results, byOp));

        List<String> disagreements = new ArrayList<>();
        results.forEach(r -> r.disagreements().forEach(d -> disagreements.add(r.testCase() + ": " + d)));
        assertEquals(List.of(), disagreements);
        SortedMap<String, String> committed = new TreeMap<>();
        byOp.forEach((op, counts) -> committed.put(op, counts.committed()));
        BY_OP.verify(committed, "Inferred dimensions per op", getClass().getSimpleName()).ifPresent(Assertions::fail);
    }

    private static SortedMap<String, DimCounts> countsByOp(List<ShapeAgreement> results) {
        SortedMap<String, DimCounts> byOp = new TreeMap<>();
        for (ShapeAgreement result : results) {
            result.countsByOp().forEach((op, counts) -> byOp.computeIfAbsent(op, o -> new DimCounts()).add(counts));
        }
        return byOp;
    }

    private static String render(List<ShapeAgreement> results, Map<String, DimCounts> byOp) {
        List<ShapeAgreement> checked = results.stream().filter(r -> !r.isSkipped()).toList();
        DimCounts total = new DimCounts();
        byOp.values().forEach(total::add);
        int dims = total.knownDims() + total.symbolicDims() + total.unknownDims();
        long disagreeing = results.stream().filter(r -> !r.disagreements().isEmpty()).count();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "shape inference vs ONNX Runtime: %d cases checked, %d skipped,"
                + " %d with disagreements%n", checked.size(), results.size() - checked.size(), disagreeing));
        int inferred = total.values() - total.untypedValues();
        out.append(String.format(Locale.ROOT, "  node outputs ORT produced: %d, inferred %d (%.1f%%), left untyped %d%n",
                total.values(), inferred, percent(inferred, total.values()), total.untypedValues()));
        out.append(String.format(Locale.ROOT, "  their dims: %d, inferred known %d (%.1f%%, all equal to ORT's),"
                + " symbolic %d, unknown %d%n", dims, total.knownDims(), percent(total.knownDims(), dims),
                total.symbolicDims(), total.unknownDims()));
        out.append("  ops with unknown dims or untyped values (shape-inference-by-op.txt lists every op):\n");
        byOp.forEach((op, counts) -> {
            if (counts.unknownDims() > 0 || counts.untypedValues() > 0) {
                out.append("    ").append(op).append(": ").append(counts.committed()).append('\n');
            }
        });
        Map<String, Integer> withoutRule = new TreeMap<>();
        checked.forEach(r -> r.opsWithoutRule().forEach(op -> withoutRule.merge(op, 1, Integer::sum)));
        out.append("  ops without a rule (cases): ").append(withoutRule).append('\n');
        Map<String, Integer> skipReasons = new TreeMap<>();
        results.stream().filter(ShapeAgreement::isSkipped)
                .forEach(r -> skipReasons.merge(firstLine(r.skipReason()), 1, Integer::sum));
        skipReasons.forEach((reason, count) -> out.append(String.format(Locale.ROOT, "  skipped %3d: %s%n", count, reason)));
        results.stream().filter(r -> !r.disagreements().isEmpty())
                .forEach(r -> r.disagreements().forEach(d -> out.append("  DISAGREES ").append(r.testCase()).append(": ").append(d).append('\n')));
        return out.toString();
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 100 : 100.0 * part / whole;
    }

    private static String firstLine(String reason) {
        String line = OrtMessages.firstLine(reason);
        return line.length() > 140 ? line.substring(0, 140) + "..." : line;
    }
}
