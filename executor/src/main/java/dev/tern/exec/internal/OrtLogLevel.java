package dev.tern.exec.internal;

import ai.onnxruntime.OrtLoggingLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much ONNX Runtime's own log says, set from the SLF4J logger {@value #LOGGER_NAME}.
 *
 * <p>ONNX Runtime's Java API offers no way to receive its log lines (the C API's custom logging
 * function is not bound): ONNX Runtime writes them to the process's standard error itself, where
 * {@link dev.tern.exec.internal.stderr.StderrCapture} picks them up and logs them to this logger.
 * Choosing which severities ONNX Runtime writes at all keeps it from formatting entries no one
 * reads: those the logger would log, read as VERBOSE for TRACE, INFO for DEBUG, WARNING for INFO
 * and WARN, ERROR for ERROR, and only FATAL when the logger is off.
 */
public final class OrtLogLevel {
    /** The logger whose level decides what ONNX Runtime logs. */
    public static final String LOGGER_NAME = "dev.tern.exec.onnxruntime";

    private OrtLogLevel() {
    }

    /** The least severity ONNX Runtime should write, as the logger {@value #LOGGER_NAME} is set now. */
    public static OrtLoggingLevel current() {
        return of(LoggerFactory.getLogger(LOGGER_NAME));
    }

    /** The least severity ONNX Runtime should write for {@code logger}'s level. */
    static OrtLoggingLevel of(Logger logger) {
        if (logger.isTraceEnabled()) {
            return OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE;
        }
        if (logger.isDebugEnabled()) {
            return OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO;
        }
        if (logger.isWarnEnabled()) {
            return OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING;
        }
        if (logger.isErrorEnabled()) {
            return OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
        }
        return OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
    }
}
