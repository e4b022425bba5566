package dev.tern.cli.internal;

import dev.tern.ir.TernException;
import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints every error as one line starting with {@code tern: } and picks the exit code:
 * 2 for bad usage, 1 for a bad model or any other failure. Stack traces only when asked for.
 */
public final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private final BooleanSupplier showStackTraces;

    /**
     * @param showStackTraces asked after parsing, so it can see {@code --verbose}
     */
    public ErrorHandler(BooleanSupplier showStackTraces) {
        this.showStackTraces = showStackTraces;
    }

    @Override
    public int handleParseException(ParameterException error, String[] args) {
        CommandLine command = error.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("tern: " + OneLine.of(error) + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')");
        printStackTraceIfAsked(error, err);
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception error, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        int exitCode;
        if (error instanceof CliFailure failure) {
            err.println("tern: " + failure.getMessage());
            exitCode = failure.exitCode();
        } else if (error instanceof TernException) {
            err.println("tern: " + OneLine.of(error));
            exitCode = ExitCode.SOFTWARE;
        } else {
            // Not an error Tern raises on purpose: a bug, so name the exception's class.
            err.println("tern: internal error: " + error.getClass().getName() + ": " + OneLine.of(error)
                    + (showStackTraces.getAsBoolean() ? "" : " (--verbose shows the stack trace)"));
            exitCode = ExitCode.SOFTWARE;
        }
        printStackTraceIfAsked(error, err);
        err.flush();
        return exitCode;
    }

    private void printStackTraceIfAsked(Exception error, PrintWriter err) {
        if (showStackTraces.getAsBoolean()) {
            error.printStackTrace(err);
        }
    }
}
