package dev.tern.cli.internal;

import dev.tern.ir.Model;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tern inspect MODEL [--json]}: what a model holds, without running it. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Summarize an ONNX model.",
            "Shows the IR version and opsets, producer, inputs and outputs with their types and "
                    + "shapes, operator counts, parameters, the exact zeros of each floating-point weight (what "
                    + "pruning left), functions, metadata and external data files."})
public final class InspectCommand implements Callable<Integer> {
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
        List<String> externalDataFiles = ModelFiles.externalDataFiles(model);
        ModelSummary summary = ModelSummary.of(model.toString(), imported, externalDataFiles);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonReport.render(summary));
        } else {
            TextReport.render(summary, out);
        }
        out.flush();
        return ExitCode.OK;
    }
}
