package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.ir.passes.Pass;
import dev.tern.ir.passes.PassManager;
import dev.tern.ir.passes.PassResult;
import dev.tern.ir.passes.StandardPasses;
import dev.tern.onnx.ExportOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tern optimize IN OUT [--passes a,b,c] [--steps N] [--json]}: runs graph-ir's passes over a model. */
@Command(name = "optimize",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Rewrite an ONNX model with graph passes and write the result.",
            "The passes run in the order given, the whole sequence again (up to --steps times) while any of "
                    + "them still changes the model. Prints the node and initializer counts before and after. "
                    + "Passes: constant-folding, identities, duplicate-initializers, dead-nodes, shape-inference."})
public final class OptimizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "The model to read.")
    private Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Where to write the optimized model.")
    private Path output;

    @Option(names = "--passes", split = ",", paramLabel = "PASS",
            description = "Comma-separated passes to run, in order (default: all, in the order listed above).")
    private List<String> passNames;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "3",
            description = "Run the sequence at most N times, stopping once a round changes nothing (default: 3).")
    private int steps;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        List<Pass> passes = passes();
        if (steps < 1) {
            throw new ParameterException(spec.commandLine(), "--steps must be at least 1, found " + steps);
        }
        InputFiles.requireReadableFile(input);
        OutputFiles.requireNotSameFile(input, output);
        Model model = ModelFiles.read(input);
        OptimizeReport.Counts before = OptimizeReport.Counts.of(model);
        PassResult result = PassManager.builder().addAll(passes).steps(steps).build().apply(model);
        OptimizeReport report = new OptimizeReport(input.toString(), output.toString(),
                passes.stream().map(Pass::name).toList(), result.modified(), before,
                OptimizeReport.Counts.of(result.model()));
        OutputFiles.createParentDirectories(output);
        ModelFiles.write(result.model(), output, ExportOptions.defaults());
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? report.toJson() : report.toText());
        out.flush();
        return ExitCode.OK;
    }

    private List<Pass> passes() {
        if (passNames == null) {
            return StandardPasses.all();
        }
        List<Pass> passes = new ArrayList<>();
        for (String name : passNames) {
            try {
                passes.add(StandardPasses.byName(name.strip()));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--passes: " + e.getMessage());
            }
        }
        return passes;
    }
}
