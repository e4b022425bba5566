package dev.tern.server.internal.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.exec.ExecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

/** How load failures read: messages written to be read alone as they are, others with their type. */
class LoadFailuresTest {
    @Test
    void ternErrorsAndRejectedConfigsReadAsTheirMessage() {
        assertEquals("model 'm': no such op", LoadFailures.reason(new ExecException("model 'm': no such op")));
        assertEquals("config.json: bad field", LoadFailures.reason(new IllegalArgumentException("config.json: bad field")));
    }

    @Test
    void ioErrorsNameTheirType() {
        assertEquals("java.nio.file.AccessDeniedException: /repo/m/1/model.onnx",
                LoadFailures.reason(new AccessDeniedException("/repo/m/1/model.onnx")));
        assertEquals("java.nio.file.AccessDeniedException: /repo/m", LoadFailures.reason(
                new UncheckedIOException(new AccessDeniedException("/repo/m"))));
    }

    @Test
    void aFailureWithoutAMessageReadsAsItsType() {
        assertEquals("dev.tern.exec.ExecException", LoadFailures.reason(new ExecException(null)));
        assertEquals("java.io.IOException", LoadFailures.reason(new IOException(" ")));
    }
}
