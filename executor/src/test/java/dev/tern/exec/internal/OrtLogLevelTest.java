package dev.tern.exec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtLoggingLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/** ONNX Runtime's log follows the SLF4J level of {@value OrtLogLevel#LOGGER_NAME}. */
class OrtLogLevelTest {
    @TempDir
    Path folder;

    @ParameterizedTest(name = "SLF4J {0} lets ONNX Runtime log from {1}")
    @CsvSource({"TRACE, VERBOSE", "DEBUG, INFO", "INFO, WARNING", "WARN, WARNING", "ERROR, ERROR"})
    void severityFollowsTheLoggerLevel(Level level, String severity) {
        assertEquals(OrtLoggingLevel.valueOf("ORT_LOGGING_LEVEL_" + severity), OrtLogLevel.of(new LevelLogger(level)));
    }

    @Test
    void aLoggerThatIsOffLeavesOnlyFatalErrors() {
        assertEquals(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, OrtLogLevel.of(new LevelLogger(null)));
    }

    /** ONNX Runtime's warning for an unused initializer, in child JVMs whose logger levels differ. */
    @Test
    void onnxRuntimeWarnsOnlyWhenTheLoggerLogsWarnings() throws Exception {
        String quiet = runChild("error");
        String warning = runChild("warn");

        assertFalse(quiet.contains(OrtLogChild.WARNING), quiet);
        assertTrue(warning.contains(OrtLogChild.WARNING), warning);
    }

    private String runChild(String level) throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.log." + OrtLogLevel.LOGGER_NAME + "=" + level,
                "-cp", System.getProperty("java.class.path"), OrtLogChild.class.getName(),
                folder.resolve(level + ".onnx").toString())
                .redirectErrorStream(true)
                .start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("opened 1 input"), output);
        return output;
    }

    /** A logger enabled from {@code threshold} up, or for nothing when it is null. */
    private static final class LevelLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        private final Level threshold;

        LevelLogger(Level threshold) {
            this.threshold = threshold;
        }

        private boolean enabled(Level level) {
            return threshold != null && level.toInt() >= threshold.toInt();
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            throw new UnsupportedOperationException("only levels are asked for");
        }
    }
}
