package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The command line's logging (its simplelogger.properties): quiet, but for what an operator must see. */
class LoggingDefaultsTest {
    @Test
    void modelLoadsAndUnloadsAreReported() {
        Logger events = LoggerFactory.getLogger("dev.tern.server.models");
        assertTrue(events.isInfoEnabled());
        assertFalse(events.isDebugEnabled());
    }

    @Test
    void onnxRuntimeWritesOnlyItsErrors() {
        Logger onnxRuntime = LoggerFactory.getLogger("dev.tern.exec.onnxruntime");
        assertTrue(onnxRuntime.isErrorEnabled());
        assertFalse(onnxRuntime.isWarnEnabled());
    }

    @Test
    void otherLoggersStayAtWarnings() {
        Logger other = LoggerFactory.getLogger("dev.tern.server.InferenceServer");
        assertTrue(other.isWarnEnabled());
        assertFalse(other.isInfoEnabled());
    }
}
