package dev.tern.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the Python unit tests of the training comparisons behind {@code tools/bench.sh train} and
 * {@code train-before-after} ({@code tools/bench/test_*.py}: JMH and PyTorch result parsing,
 * the tables, the medians, the base commit lookup), so that the build catches a broken script
 * before a long benchmark run would. They need only Debian's python3 and git, not PyTorch.
 */
class BenchScriptsTest {
    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    @Test
    void trainingComparisonScriptsPassTheirUnitTests() throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(DEBIAN_PYTHON), DEBIAN_PYTHON + " is missing; install Debian's python3");
        Path scripts = Path.of(Objects.requireNonNull(System.getProperty("tern.root"),
                "system property tern.root (the checkout's root) is not set; run the tests through Maven"))
                .resolve("tools/bench");
        // -B: no __pycache__ written into the source tree.
        Process tests = new ProcessBuilder(DEBIAN_PYTHON.toString(), "-B", "-m", "unittest", "discover",
                "-s", scripts.toString(), "-p", "test_*.py")
                .redirectErrorStream(true)
                .start();
        String output = new String(tests.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tests.waitFor(120, TimeUnit.SECONDS), "the Python unit tests in " + scripts + " did not finish");
        assertEquals(0, tests.exitValue(), () -> "the Python unit tests in " + scripts + " failed:\n" + output);
    }
}
