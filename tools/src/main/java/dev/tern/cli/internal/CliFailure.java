package dev.tern.cli.internal;

import java.nio.file.Path;
import picocli.CommandLine.ExitCode;

/**
 * A failure a command reports as one line on standard error, with the exit code it ends
 * the process with. Commands throw it; {@link ErrorHandler} prints it.
 */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final Path file;
    private final String reason;

    private CliFailure(int exitCode, Path file, String reason, Throwable cause) {
        super(file == null ? reason : file + ": " + reason, cause);
        this.exitCode = exitCode;
        this.file = file;
        this.reason = reason;
    }

    /** The user asked for something impossible: a missing or unreadable input, clashing paths. */
    static CliFailure usage(String message) {
        return new CliFailure(ExitCode.USAGE, null, message, null);
    }

    /** Like {@link #usage(String)}, keeping the error that revealed it for {@code --verbose}. */
    static CliFailure usage(String message, Throwable cause) {
        return new CliFailure(ExitCode.USAGE, null, message, cause);
    }

    /** Like {@link #usage(String)}, about one file. */
    static CliFailure usage(Path file, String reason) {
        return new CliFailure(ExitCode.USAGE, file, reason, null);
    }

    /** Processing {@code file} failed (exit 1), for the reason {@code cause} gives. */
    static CliFailure inFile(Path file, Throwable cause) {
        String reason = OneLine.of(cause);
        // Tern's own messages often start with the file already; say it once.
        String filePrefix = file + ": ";
        if (reason.startsWith(filePrefix)) {
            reason = reason.substring(filePrefix.length());
        }
        return new CliFailure(ExitCode.SOFTWARE, file, reason, cause);
    }

    /** Something the command was given could not be processed (exit 1); {@code message} says what and why. */
    static CliFailure failed(String message, Throwable cause) {
        return new CliFailure(ExitCode.SOFTWARE, null, message, cause);
    }

    /** The process exit code: {@code ExitCode.USAGE} (2) or {@code ExitCode.SOFTWARE} (1). */
    int exitCode() {
        return exitCode;
    }

    /** The file the failure is about, or null when it concerns no single file. */
    Path file() {
        return file;
    }

    /** What went wrong, without the file name. */
    String reason() {
        return reason;
    }
}
