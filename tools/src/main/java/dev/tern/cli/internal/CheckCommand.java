package dev.tern.cli.internal;

import dev.tern.ir.Model;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tern check MODEL [--json]}: validation and shape inference, without running the model. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Validate an ONNX model and infer every value's element type and shape.",
            "Prints each value with its type and producing op, the values left unknown (without a type, or "
                    + "with a dimension neither known nor symbolic), and any inferred type that contradicts a "
                    + "declared one. Exits 1 if the model is invalid or types contradict."})
public final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The .onnx file.")
    private Path model;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        InputFiles.requireReadableFile(model);
        Model imported = ModelFiles.read(model);
        CheckSummary summary = CheckSummary.of(model.toString(), imported);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(CheckJsonReport.render(summary));
        } else {
            CheckTextReport.render(summary, imported.graph().name(), out);
        }
        out.flush();
        return summary.failed() ? ExitCode.SOFTWARE : ExitCode.OK;
    }
}
