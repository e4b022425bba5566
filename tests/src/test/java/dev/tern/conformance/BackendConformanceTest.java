package dev.tern.conformance;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import dev.tern.exec.Runtime;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks the ONNX backend test suite from Debian's libonnx-testdata. Every case that ONNX
 * Runtime passes on the original file must pass when Tern's executor runs the model after
 * Tern's import and export, and a second round trip must be byte-identical to the first. Missing test data fail the test: in CI the
 * suite must run, never skip ({@code bin/test} installs the package).
 */
class BackendConformanceTest {
    private static final Path DATA = Path.of(System.getProperty("tern.onnx.testdata",
            "/usr/share/libonnx-testdata/data"));
    private static final List<String> SUITES = List.of("node", "pytorch-converted", "pytorch-operator", "simple");

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

        assertTrue(report.count(CaseResult.Outcome.PASSED) > 800,
                "too few cases passed; is the test data complete?\n" + report.render());
        assertEquals(List.of(), report.failures().stream().map(f -> f.testCase() + ": " + f.reason()).toList());
    }
}
