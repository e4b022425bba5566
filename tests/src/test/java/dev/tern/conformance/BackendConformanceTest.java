package dev.tern.conformance;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import dev.tern.exec.Runtime;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks the ONNX backend test suite from Debian's libonnx-testdata. Every case that ONNX
 * Runtime passes on the original file must pass when Tern's executor runs the model after
 * Tern's import and export, and a second round trip must be byte-identical to the first.
 * Every data file is read twice, by Tern's decoder and by an independent wire-format reader,
 * and the two must agree, so a decoding bug fails the case instead of looking like ORT's.
 *
 * <p>The cases that cannot be judged are committed, each with its reason, in
 * {@code tests/src/test/resources/conformance/backend-skips.txt}; the test fails on any
 * difference from that list: a case that newly skips, a listed case that now passes, a case
 * that skips for another reason. When a change is intended (a new ORT, a new Tern feature),
 * regenerate the list and review its diff:
 * <pre>
 * mvn -B -ntp -q -pl tests -am test -Dtest=BackendConformanceTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtern.conformance.update=true
 * git diff tests/src/test/resources/conformance/backend-skips.txt
 * </pre>
 * Missing test data fail the test: in CI the suite must run, never skip ({@code bin/test}
 * installs the package).
 */
class BackendConformanceTest {
    static final String SKIPS_FILE = "backend-skips.txt";
    private static final Path DATA = Path.of(System.getProperty("tern.onnx.testdata",
            "/usr/share/libonnx-testdata/data"));
    /** The cases of libonnx-testdata 1.12 per suite: a suite that lost cases would hide them from the skip list. */
    private static final Map<String, Integer> CASES = Map.of(
            "node", 932, "pytorch-converted", 82, "pytorch-operator", 35, "simple", 23);
    private static final List<String> SUITES = List.of("node", "pytorch-converted", "pytorch-operator", "simple");
    private static final ExpectationFile SKIPS = ExpectationFile.committed(SKIPS_FILE, header());

    @Test
    void roundTripPreservesWhatEveryPassingCaseComputes() {
        assertTrue(Files.isDirectory(DATA), "ONNX backend test data missing at " + DATA
                + ": install Debian's libonnx-testdata (bin/test does so when run as root)");
        ConformanceReport report = new ConformanceReport();
        // ORT logs a warning per legacy-opset model; only its fatal errors are worth printing.
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        try (Runtime runtime = Runtime.create()) {
            CaseRunner runner = new CaseRunner(env, runtime);
            for (String suite : SUITES) {
                for (BackendCase testCase : BackendCase.listSuite(DATA, suite)) {
                    report.add(runner.run(testCase));
                }
            }
        }
        System.out.println(report.render());

        assertEquals(List.of(), report.failures().stream().map(f -> f.testCase() + ": " + f.reason()).toList());
        assertEquals(new TreeMap<>(CASES), new TreeMap<>(report.casesPerSuite()),
                "cases per suite under " + DATA + "; is the test data complete?");
        SortedMap<String, String> skips = new TreeMap<>();
        report.skips().forEach(skip -> skips.put(skip.testCase().toString(), skip.reason().committed()));
        SKIPS.verify(skips, "Skipped cases", getClass().getSimpleName()).ifPresent(Assertions::fail);
    }

    private static List<String> header() {
        List<String> header = new ArrayList<>(List.of(
                "Backend cases that BackendConformanceTest skips: suite/case | category | detail.",
                "The test fails when its skips differ from this list. Categories:"));
        for (SkipReason.Category category : SkipReason.Category.values()) {
            header.add("  " + category + ": " + category.meaning());
        }
        header.add("Regenerate on purpose, from the repository's root, then review the diff in git:");
        header.add("  " + ExpectationFile.regenerationCommand(BackendConformanceTest.class.getSimpleName()));
        return header;
    }
}
