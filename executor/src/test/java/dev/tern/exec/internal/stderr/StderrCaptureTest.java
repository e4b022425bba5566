package dev.tern.exec.internal.stderr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.internal.OrtLogLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's log reaches SLF4J (slf4j-simple here) without escape codes while everything else
 * written to standard error passes unchanged, in child JVMs ({@link StderrCaptureChild}) whose
 * standard error the test reads.
 */
class StderrCaptureTest {
    private static final char ESCAPE = '\u001B';
    /** A warning as slf4j-simple prints it, without its thread name. */
    private static final String LOGGED_WARNING = "WARN " + OrtLogLevel.LOGGER_NAME + " - Removing initializer 'unused";
    private static final String ORT_WARNING_TEXT = "It is not used by any node and should be removed from the model."
            + " (graph.cc:";
    private static final long CHILD_SECONDS = 120;

    @TempDir
    Path folder;

    @Test
    void warningsGoThroughTheLoggerAndEverythingElsePassesUnchanged() throws Exception {
        String output = runChild(1, logLevel("warn"));

        assertEquals(-1, output.indexOf(ESCAPE), output);
        assertTrue(output.contains(LOGGED_WARNING + "0'. " + ORT_WARNING_TEXT), output);
        assertTrue(output.lines().anyMatch(StderrCaptureChild.JAVA_LINE::equals), output);
        assertTrue(output.lines().anyMatch(StderrCaptureChild.NATIVE_LINE::equals), output);
        // Entries are logged on a thread of their own, so one may still follow the last words.
        assertTrue(output.contains("\n" + StderrCaptureChild.LAST_WORDS), "the last partial line is kept:\n" + output);
        assertTrue(output.contains(StderrCaptureChild.PIPES_ADDED + 2 + "\n"),
                "eight threads starting the capture at once start one pipe (its read end and the saved stderr)\n"
                        + output);
    }

    @Test
    void aLoggerSetToErrorSuppressesTheWarning() throws Exception {
        String output = runChild(1, logLevel("error"));

        assertFalse(output.contains("Removing initializer"), output);
        assertEquals(-1, output.indexOf(ESCAPE), output);
        assertTrue(output.lines().anyMatch(StderrCaptureChild.NATIVE_LINE::equals), output);
    }

    /** The logger's own lines go to descriptor 2, that is into the pipe; draining never waits on them. */
    @Test
    void manyMoreWarningsThanThePipeHoldsAllArrive() throws Exception {
        int warnings = 1000;
        String output = runChild(warnings, logLevel("warn"));

        assertEquals(warnings, output.lines().filter(line -> line.contains(LOGGED_WARNING)).count(), output);
        assertEquals(-1, output.indexOf(ESCAPE));
    }

    @Test
    void turnedOffOnnxRuntimeWritesItsColouredLinesItself() throws Exception {
        String output = runChild(1, logLevel("warn"), "-D" + StderrCapture.PROPERTY + "=false");

        assertTrue(output.contains(ESCAPE + "[0;93m"), output);
        assertTrue(output.contains("[W:onnxruntime:, graph.cc:"), output);
        assertFalse(output.contains(LOGGED_WARNING), output);
        assertTrue(output.contains(StderrCaptureChild.PIPES_ADDED + 0 + "\n"), output);
    }

    private static String logLevel(String level) {
        return "-Dorg.slf4j.simpleLogger.log." + OrtLogLevel.LOGGER_NAME + "=" + level;
    }

    /** Runs the child with {@code unusedInitializers} and JVM options; its standard output and error together. */
    private String runChild(int unusedInitializers, String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StderrCaptureChild.class.getName(),
                folder.resolve("model.onnx").toString(), Integer.toString(unusedInitializers)));
        // A file, not a pipe: a child that hangs (a deadlocked drainer) then fails the wait below.
        Path output = folder.resolve("child.out");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            throw new AssertionError("the child JVM did not finish in " + CHILD_SECONDS + " s:\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), text);
        assertTrue(text.contains("opened 1 input"), text);
        return text;
    }
}
