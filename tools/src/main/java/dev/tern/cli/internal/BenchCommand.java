package dev.tern.cli.internal;

import dev.tern.exec.Adapter;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.InvalidInputException;
import dev.tern.exec.RunControl;
import dev.tern.exec.Runtime;
import dev.tern.ir.Tensor;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tern bench MODEL [--batch N] [--duration S] [--concurrency N] ...}: latency and throughput. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Measure a model's latency and throughput on random inputs.",
            "Threads run the model back to back on one compiled model; after the warmup every run's latency "
                    + "is recorded. Prints p50/p90/p99/max latency and inferences and samples per second, "
                    + "with a progress line when run on a terminal."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    private ModelOptions options;

    @Option(names = "--batch", paramLabel = "N",
            description = "Size of every input's first dimension that is symbolic (the batch).")
    private Long batch;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Unmeasured runs first (default: 2).")
    private double warmupSeconds = 2;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "How long to measure (default: 10).")
    private double durationSeconds = 10;

    @Option(names = "--concurrency", paramLabel = "N", description = "Threads running the model at once (default: 1).")
    private int concurrency = 1;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        checkOptions();
        try (Runtime runtime = Runtime.create();
             CompiledModel model = options.open(runtime);
             Adapter adapter = options.loadAdapter(runtime)) {
            DimensionSizes sizes = batch == null
                    ? DimensionSizes.of(options.dims(), model.inputs())
                    : DimensionSizes.withBatch(options.dims(), batch, model.inputs());
            Map<String, Tensor> inputs = RunInputs.generateAll(model.inputs(), sizes,
                    new RandomTensors(RunCommand.DEFAULT_SEED));
            LoadGenerator.Measurement measurement;
            BenchTarget.CallPath path;
            try (BenchTarget target = prepare(model, inputs, ModelOptions.control(adapter))) {
                path = target.path();
                measurement = new LoadGenerator(target::newCall, concurrency, nanos(warmupSeconds), nanos(durationSeconds))
                        .run(ProgressLine.forConsole(spec.commandLine().getErr()));
            }
            BenchReport report = new BenchReport(options.model(), options.adapterFile(), path, concurrency, options.threads(),
                    describe(inputs), samplesPerInference(inputs), warmupSeconds, measurement);
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

    private void checkOptions() {
        if (batch != null && batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be at least 1, found " + batch);
        }
        if (!(warmupSeconds >= 0) || !Double.isFinite(warmupSeconds)) {
            throw new ParameterException(spec.commandLine(), "--warmup must be 0 seconds or more, found " + warmupSeconds);
        }
        if (!(durationSeconds > 0) || !Double.isFinite(durationSeconds)) {
            throw new ParameterException(spec.commandLine(), "--duration must be above 0 seconds, found " + durationSeconds);
        }
        if (concurrency < 1) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be at least 1, found " + concurrency);
        }
    }

    private static BenchTarget prepare(CompiledModel model, Map<String, Tensor> inputs, RunControl control) {
        try {
            return BenchTarget.prepare(model, inputs, control);
        } catch (InvalidInputException e) {
            // Generated inputs match the model's types, so this is a type ONNX Runtime's Java API cannot create.
            throw CliFailure.usage(OneLine.of(e), e);
        }
    }

    private static Map<String, String> describe(Map<String, Tensor> inputs) {
        Map<String, String> types = new LinkedHashMap<>();
        inputs.forEach((name, tensor) -> types.put(name, TypeDescriptions.text(tensor.type())));
        return types;
    }

    private static long samplesPerInference(Map<String, Tensor> inputs) {
        Tensor first = inputs.values().stream().findFirst().orElse(null);
        return first == null || first.rank() == 0 ? 1 : first.dims()[0];
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }
}
