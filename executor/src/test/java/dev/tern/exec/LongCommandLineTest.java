package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM with a long command line (a 64 KiB {@code -D} property, as long as the class path of a
 * Spark executor) compiles and runs a model. ONNX Runtime's telemetry searches the command line
 * with a recursive regex while the first environment is created, needing about 16 MiB of stack
 * here; on the 1 MiB main thread this killed the JVM with SIGSEGV (exit code 139).
 */
class LongCommandLineTest {
    /**
     * Variables with which ONNX Runtime 1.29 turns its telemetry off, and with it the search:
     * its own switches and the CI markers it recognises. The child runs without them, as a
     * user's application does, so that the test means the same on a CI machine.
     */
    private static final List<String> TELEMETRY_SWITCHES = List.of("ORT_DISABLE_TELEMETRY", "ORT_RUNNING_UNIT_TESTS",
            "CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "CIRCLECI", "TRAVIS", "JENKINS_URL",
            "CODEBUILD_BUILD_ID", "BUILDKITE", "TEAMCITY_VERSION", "APPVEYOR", "BITBUCKET_BUILD_NUMBER",
            "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI");
    private static final int PADDING_CHARS = 64 * 1024;

    @Test
    void runsAModelInAJvmWithALongCommandLine() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xss1m", "-Xmx64m",
                "-Dtern.test.padding=" + "x".repeat(PADDING_CHARS),
                "-cp", System.getProperty("java.class.path"), LongCommandLineMain.class.getName())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        TELEMETRY_SWITCHES.forEach(environment::remove);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 60 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "child JVM failed (139 is SIGSEGV): " + output);
        String difference = output.lines().filter(line -> line.startsWith("max difference "))
                .findFirst().orElseThrow(() -> new AssertionError("child printed no result: " + output))
                .substring("max difference ".length());
        assertTrue(Float.parseFloat(difference) < 1e-4f, "outputs differ from the reference by " + difference);
    }
}
