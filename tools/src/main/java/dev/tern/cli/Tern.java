package dev.tern.cli;

import dev.tern.cli.internal.BenchCommand;
import dev.tern.cli.internal.CheckCommand;
import dev.tern.cli.internal.ConvertCommand;
import dev.tern.cli.internal.DistillCommand;
import dev.tern.cli.internal.EnsembleCommand;
import dev.tern.cli.internal.ErrorHandler;
import dev.tern.cli.internal.FinetuneCommand;
import dev.tern.cli.internal.InitModelCommand;
import dev.tern.cli.internal.InspectCommand;
import dev.tern.cli.internal.LoadgenCommand;
import dev.tern.cli.internal.OptimizeCommand;
import dev.tern.cli.internal.PruneCommand;
import dev.tern.cli.internal.QuantizeCommand;
import dev.tern.cli.internal.RunCommand;
import dev.tern.cli.internal.SampleCommand;
import dev.tern.cli.internal.ServeCommand;
import dev.tern.cli.internal.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code tern} command line: {@code tern inspect}, {@code tern check}, {@code tern convert},
 * {@code tern run}, {@code tern bench}, {@code tern serve}, {@code tern loadgen}, {@code tern finetune},
 * {@code tern init-model}, {@code tern optimize}, {@code tern ensemble}, {@code tern quantize}, {@code tern prune}, {@code tern distill} and {@code tern sample}. Exit codes: 0 on success, 1 when a model is bad (any Tern error),
 * 2 on bad usage, including an input file that is missing or unreadable or inputs that do not
 * match the model. Errors are one line on
 * standard error; {@code --verbose} or the environment variable {@code TERN_DEBUG} adds the
 * stack trace.
 */
@Command(name = "tern",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Inspect, check, convert, run, serve and fine-tune ONNX models on the JVM.",
        subcommands = {InspectCommand.class, CheckCommand.class, ConvertCommand.class, RunCommand.class,
            BenchCommand.class, ServeCommand.class, LoadgenCommand.class, FinetuneCommand.class, InitModelCommand.class,
            OptimizeCommand.class, EnsembleCommand.class, QuantizeCommand.class, PruneCommand.class, DistillCommand.class,
            SampleCommand.class, CommandLine.HelpCommand.class})
public final class Tern implements Runnable {
    /** Environment variable that, when set to anything but empty or "0", makes errors show stack traces. */
    public static final String DEBUG_ENVIRONMENT_VARIABLE = "TERN_DEBUG";

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Log progress and show stack traces with errors.")
    private boolean verbose;

    @Spec
    private CommandSpec spec;

    private Tern() {
    }

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        if (wantsDebugLogging(args)) {
            // slf4j-simple reads its level once, when the first logger is made; set it before that.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        System.exit(newCommandLine().execute(args));
    }

    /**
     * A fresh, fully configured command line: error handlers, exit codes and subcommands.
     * Callers may redirect its output with {@link CommandLine#setOut} and {@link CommandLine#setErr}
     * before {@link CommandLine#execute}.
     */
    public static CommandLine newCommandLine() {
        Tern tern = new Tern();
        ErrorHandler errors = new ErrorHandler(() -> tern.verbose || debugEnvironment());
        return new CommandLine(tern)
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }

    /** Without a subcommand, {@code tern} fails as bad usage, pointing to {@code tern --help}. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    private static boolean wantsDebugLogging(String[] args) {
        for (String arg : args) {
            if (arg.equals("--verbose")) {
                return true;
            }
        }
        return debugEnvironment();
    }

    private static boolean debugEnvironment() {
        String value = System.getenv(DEBUG_ENVIRONMENT_VARIABLE);
        return value != null && !value.isEmpty() && !value.equals("0");
    }
}
