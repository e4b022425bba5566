package dev.tern.cli.internal;

import dev.tern.compress.CombineMode;
import dev.tern.compress.Ensemble;
import dev.tern.ir.Model;
import dev.tern.onnx.ExportOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tern ensemble A B ... [--mode mean|vote|weighted] [--weights W,...] --out OUT [--json]}. */
@Command(name = "ensemble",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Merge classifiers into one ONNX model that runs them all on shared inputs and combines their "
                    + "class probabilities.",
            "Each member's first output holds class scores on its last axis: logits get a Softmax, an output "
                    + "made by a Softmax is taken as probabilities. Member names get the prefixes m0/, m1/, ...; "
                    + "inputs are shared by name, a member of another rank fed through a Reshape when one fits. "
                    + "Outputs: 'probabilities', and 'label' (int64) with --mode vote."})
public final class EnsembleCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "MODEL", description = "The member models (at least two).")
    private List<Path> members;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "mean",
            description = "mean (of the probabilities), weighted (mean with --weights) or vote (most argmax votes, "
                    + "ties to the higher mean probability; also outputs 'label'). Default: mean.")
    private String mode;

    @Option(names = "--weights", split = ",", paramLabel = "W",
            description = "One weight per member for --mode weighted, as 2,1,1; scaled to sum to 1.")
    private List<Double> weights;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the ensemble.")
    private Path output;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        CombineMode combineMode = combineMode();
        List<Model> models = new ArrayList<>(members.size());
        for (Path member : members) {
            InputFiles.requireReadableFile(member);
            OutputFiles.requireNotSameFile(member, output);
            models.add(ModelFiles.read(member));
        }
        Model ensemble = build(models, combineMode);
        OutputFiles.createParentDirectories(output);
        ModelFiles.write(ensemble, output, ExportOptions.defaults());
        EnsembleReport report = EnsembleReport.of(members, combineMode, weights, ensemble, output);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? report.toJson() : report.toText());
        out.flush();
        return ExitCode.OK;
    }

    private CombineMode combineMode() {
        CombineMode parsed;
        try {
            parsed = CombineMode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(),
                    "--mode: expected mean, weighted or vote, found '" + mode + "'");
        }
        if (parsed == CombineMode.WEIGHTED && weights == null) {
            throw new ParameterException(spec.commandLine(), "--mode weighted needs --weights, one per member");
        }
        if (parsed != CombineMode.WEIGHTED && weights != null) {
            throw new ParameterException(spec.commandLine(), "--weights needs --mode weighted, found --mode " + mode);
        }
        return parsed;
    }

    private Model build(List<Model> models, CombineMode combineMode) {
        if (combineMode != CombineMode.WEIGHTED) {
            return Ensemble.merge(models, combineMode);
        }
        try {
            return Ensemble.weighted(models, weights.stream().mapToDouble(Double::doubleValue).toArray());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--weights: " + e.getMessage(), e);
        }
    }
}
