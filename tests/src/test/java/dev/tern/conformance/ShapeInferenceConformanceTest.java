package dev.tern.conformance;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tern's shape inference against the shapes ONNX Runtime actually produces, on every backend
 * test case ORT can run: each value of the main graph (inputs and every node output) is
 * compared, known dimensions must agree, symbols must be consistent, element types must
 * match. Prints the agreement rate; a single disagreement fails. Missing test data fail too.
 */
class ShapeInferenceConformanceTest {
    private static final Path DATA = Path.of(System.getProperty("tern.onnx.testdata",
            "/usr/share/libonnx-testdata/data"));
    private static final List<String> SUITES = List.of("node", "pytorch-converted", "pytorch-operator", "simple");

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
        System.out.println(render(results));

        List<ShapeAgreement> checked = results.stream().filter(r -> !r.isSkipped()).toList();
        assertTrue(checked.size() > 800, "too few cases checked; is the test data complete?");
        assertTrue(checked.stream().mapToInt(ShapeAgreement::knownDims).sum() > 5000,
                "too few known dimensions: inference is not doing its job");
        List<String> disagreements = new ArrayList<>();
        checked.forEach(r -> r.disagreements().forEach(d -> disagreements.add(r.testCase() + ": " + d)));
        assertEquals(List.of(), disagreements);
    }

    private static String render(List<ShapeAgreement> results) {
        List<ShapeAgreement> checked = results.stream().filter(r -> !r.isSkipped()).toList();
        int values = checked.stream().mapToInt(ShapeAgreement::valuesChecked).sum();
        int untyped = checked.stream().mapToInt(ShapeAgreement::untypedValues).sum();
        int known = checked.stream().mapToInt(ShapeAgreement::knownDims).sum();
        int symbolic = checked.stream().mapToInt(ShapeAgreement::symbolicDims).sum();
        int unknown = checked.stream().mapToInt(ShapeAgreement::unknownDims).sum();
        long disagreeing = checked.stream().filter(r -> !r.disagreements().isEmpty()).count();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "shape inference vs ONNX Runtime: %d cases checked, %d skipped, %d with disagreements%n",
                checked.size(), results.size() - checked.size(), disagreeing));
        out.append(String.format(Locale.ROOT, "  values: %d compared, %d typed (%.1f%%), %d left untyped%n",
                values, values - untyped, percent(values - untyped, values), untyped));
        out.append(String.format(Locale.ROOT, "  dims of typed values: %d known (all checked), %d symbolic, %d unknown; known %.1f%%%n",
                known, symbolic, unknown, percent(known, known + symbolic + unknown)));
        Map<String, Integer> withoutRule = new TreeMap<>();
        checked.forEach(r -> r.opsWithoutRule().forEach(op -> withoutRule.merge(op, 1, Integer::sum)));
        out.append("  ops without a rule (cases): ").append(withoutRule).append('\n');
        Map<String, Integer> skipReasons = new TreeMap<>();
        results.stream().filter(ShapeAgreement::isSkipped)
                .forEach(r -> skipReasons.merge(firstLine(r.skipReason()), 1, Integer::sum));
        skipReasons.forEach((reason, count) -> out.append(String.format(Locale.ROOT, "  skipped %3d: %s%n", count, reason)));
        checked.stream().filter(r -> !r.disagreements().isEmpty())
                .forEach(r -> r.disagreements().forEach(d -> out.append("  DISAGREES ").append(r.testCase()).append(": ").append(d).append('\n')));
        return out.toString();
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 100 : 100.0 * part / whole;
    }

    private static String firstLine(String reason) {
        String line = reason.lines().findFirst().orElse("").replaceAll("/\\S*/model\\.onnx", "model.onnx");
        return line.length() > 140 ? line.substring(0, 140) + "..." : line;
    }
}
