package dev.tern.cli.internal;

import dev.tern.exec.Adapter;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.InvalidInputException;
import dev.tern.exec.IoSpec;
import dev.tern.exec.RunControl;
import dev.tern.exec.Runtime;
import dev.tern.ir.NpyFormatException;
import dev.tern.ir.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tern run MODEL [--input NAME=FILE.npy ...] [--output-dir DIR] ...}: runs a model once. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Run an ONNX model once and summarize its outputs.",
            "Inputs not given with --input are random: floating-point numbers in [0, 1), integers 0 or 1 "
                    + "(valid ids, masks and token types), fair booleans. Prints one line per output: name, type, and min/max/mean (numbers), "
                    + "the count of true elements (booleans) or the element count (others)."})
public final class RunCommand implements Callable<Integer> {
    /** The seed of random inputs when --seed is not given, so repeated runs agree. */
    static final long DEFAULT_SEED = 0;

    @Mixin
    private ModelOptions options;

    @Option(names = "--input", paramLabel = "NAME=FILE",
            description = "Feed input NAME from a .npy file; repeat for several inputs.")
    private Map<String, Path> inputFiles = new LinkedHashMap<>();

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Write each tensor output to DIR as NAME.npy (odd characters in names become '_'); "
                    + "created if missing. Without it, nothing is written.")
    private Path outputDir;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random inputs (default: 0).")
    private long seed = DEFAULT_SEED;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        try (Runtime runtime = Runtime.create();
             CompiledModel model = options.open(runtime);
             Adapter adapter = options.loadAdapter(runtime)) {
            DimensionSizes sizes = DimensionSizes.of(options.dims(), model.inputs());
            Map<String, Tensor> inputs = RunInputs.prepare(model.inputs(), inputFiles, sizes, new RandomTensors(seed));
            Map<String, Tensor> outputs = runOnce(model, inputs, ModelOptions.control(adapter));
            RunReport report = new RunReport(options.model(), options.adapterFile(), sizes.used(), sizes.defaulted(),
                    describeInputs(inputs), writeAndDescribe(model.outputs(), outputs));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(report.json());
            } else {
                report.printText(out);
            }
            out.flush();
        }
        return ExitCode.OK;
    }

    private static Map<String, Tensor> runOnce(CompiledModel model, Map<String, Tensor> inputs, RunControl control) {
        try {
            return SingleRun.run(model, inputs, control);
        } catch (InvalidInputException e) {
            // The model is fine; what the user fed it is not.
            throw CliFailure.usage(OneLine.of(e), e);
        }
    }

    private List<RunReport.InputEntry> describeInputs(Map<String, Tensor> inputs) {
        List<RunReport.InputEntry> entries = new ArrayList<>();
        inputs.forEach((name, tensor) -> {
            Path file = inputFiles.get(name);
            entries.add(new RunReport.InputEntry(name, TypeDescriptions.json(tensor.type()),
                    file == null ? "random" : file.toString()));
        });
        return entries;
    }

    private List<RunReport.OutputEntry> writeAndDescribe(List<IoSpec> specs, Map<String, Tensor> outputs) {
        OutputFileNames fileNames = outputDir == null ? null : new OutputFileNames(createOutputDir());
        List<RunReport.OutputEntry> entries = new ArrayList<>();
        for (IoSpec spec : specs) {
            Tensor tensor = outputs.get(spec.name());
            if (tensor == null) {
                entries.add(new RunReport.OutputEntry(spec.name(), TypeDescriptions.text(spec.type()),
                        TypeDescriptions.json(spec.type()), null, null, null));
                continue;
            }
            Path file = null;
            String notWritten = null;
            if (fileNames != null) {
                try {
                    file = fileNames.fileFor(spec.name());
                    NpyFiles.writeOutput(tensor, file);
                } catch (NpyFormatException e) {
                    // numpy has no dtype for it (bfloat16, strings): say so and write the rest.
                    file = null;
                    notWritten = OneLine.of(e);
                }
            }
            entries.add(new RunReport.OutputEntry(spec.name(), TypeDescriptions.text(tensor.type()),
                    TypeDescriptions.json(tensor.type()), TensorStatistics.of(tensor), file, notWritten));
        }
        return entries;
    }

    private Path createOutputDir() {
        try {
            return Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw CliFailure.inFile(outputDir, e);
        }
    }
}
