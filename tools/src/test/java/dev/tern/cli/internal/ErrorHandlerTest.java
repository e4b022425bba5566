package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.IrException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class ErrorHandlerTest {
    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Override
        public void run() {
        }
    }

    private final StringWriter err = new StringWriter();
    private final CommandLine command = new CommandLine(new Probe()).setErr(new PrintWriter(err));

    @Test
    void ternErrorsAreOneLineWithExitOne() {
        int exit = new ErrorHandler(() -> false)
                .handleExecutionException(new IrException("first line\n  second line"), command, null);

        assertEquals(1, exit);
        assertEquals("tern: first line; second line" + System.lineSeparator(), err.toString());
    }

    @Test
    void failuresInAFileNameItOnceAndKeepTheirExitCode() {
        Path file = Path.of("dir", "model.onnx");
        CliFailure failure = CliFailure.inFile(file, new IrException(file + ": graph 'g': broken"));

        int exit = new ErrorHandler(() -> false).handleExecutionException(failure, command, null);

        assertEquals(1, exit);
        assertEquals("tern: " + file + ": graph 'g': broken" + System.lineSeparator(), err.toString());
        assertEquals("graph 'g': broken", failure.reason());
    }

    @Test
    void fileSystemErrorsSayWhatHappenedToWhichFile() {
        CliFailure failure = CliFailure.inFile(Path.of("out.onnx"), new NoSuchFileException("out/dir/out.onnx"));

        assertEquals("out.onnx: out/dir/out.onnx: no such file or directory", failure.getMessage());
    }

    @Test
    void usageFailuresExitWithTwo() {
        int exit = new ErrorHandler(() -> false)
                .handleExecutionException(CliFailure.usage(Path.of("x.onnx"), "no such file"), command, null);

        assertEquals(2, exit);
        assertEquals("tern: x.onnx: no such file" + System.lineSeparator(), err.toString());
    }

    @Test
    void unexpectedExceptionsAreInternalErrorsThatPointToVerbose() {
        int exit = new ErrorHandler(() -> false)
                .handleExecutionException(new IllegalStateException("boom"), command, null);

        assertEquals(1, exit);
        assertEquals("tern: internal error: java.lang.IllegalStateException: boom (--verbose shows the stack trace)"
                + System.lineSeparator(), err.toString());
    }

    @Test
    void verboseAppendsTheStackTrace() {
        new ErrorHandler(() -> true).handleExecutionException(new IllegalStateException("boom"), command, null);

        String[] lines = err.toString().split("\\R");
        assertEquals("tern: internal error: java.lang.IllegalStateException: boom", lines[0]);
        assertEquals("java.lang.IllegalStateException: boom", lines[1]);
        assertTrue(lines[2].startsWith("\tat "), err::toString);
    }
}
