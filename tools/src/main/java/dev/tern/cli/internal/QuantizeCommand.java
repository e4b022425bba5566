package dev.tern.cli.internal;

import dev.tern.compress.quantize.AccuracyGuard;
import dev.tern.compress.quantize.CalibrationMethod;
import dev.tern.compress.quantize.GuardedQuantization;
import dev.tern.compress.quantize.Quantization;
import dev.tern.compress.quantize.QuantizationResult;
import dev.tern.compress.quantize.QuantizationSettings;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern quantize IN OUT [--dynamic | --static --calibration DATA] [--per-channel]
 * [--calibrate minmax|percentile|entropy] [--symmetric] [--exclude OP_OR_NODE...]
 * [--validation DATA --budget POINTS]}.
 */
@Command(name = "quantize",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Quantize a float model to 8-bit integers.",
            "--dynamic (the default) stores MatMul and Gemm weights and Gather tables as int8 and quantizes "
                    + "activations at run time, as ONNX Runtime's quantize_dynamic. --static calibrates every Conv, "
                    + "MatMul and Gemm activation's range on --calibration data and writes QuantizeLinear/"
                    + "DequantizeLinear pairs (QDQ format), as ONNX Runtime's quantize_static."})
public final class QuantizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "The float .onnx model.")
    private Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Where to write the quantized model.")
    private Path output;

    @ArgGroup(exclusive = true)
    private Mode mode;

    @Option(names = "--calibration", paramLabel = "DATA",
            description = "With --static: calibration data, a .csv file or an image folder as tern finetune reads "
                    + "(its table and scaling options apply); labels are read and ignored.")
    private Path calibration;

    @Option(names = "--calibrate", paramLabel = "METHOD",
            description = "With --static: minmax (the default), percentile or entropy.")
    private String calibrate;

    @Option(names = "--percentile", paramLabel = "P",
            description = "With --calibrate percentile: the percentage of values kept in range (default: 99.999).")
    private Double percentile;

    @Option(names = "--calibration-batches", paramLabel = "N",
            description = "With --static: calibrate on the first N batches of the data (default: 32).")
    private int calibrationBatches = 32;

    @Option(names = "--batch", paramLabel = "N", description = "With --static: examples per calibration batch (default: 32).")
    private int batch = 32;

    @Option(names = "--validation", paramLabel = "DATA",
            description = "With --static and --budget: labelled data (in --calibration's format) to score the "
                    + "accuracy of the first output's class scores on.")
    private Path validation;

    @Option(names = "--budget", paramLabel = "POINTS",
            description = "With --validation: the most accuracy points (0.5 = half a percent) quantization may lose; "
                    + "the layers whose outputs stray most stay in float until it loses no more. Prints each layer's "
                    + "error, quantized or kept.")
    private Double budget;

    @Option(names = "--per-channel", description = "One weight scale per output channel instead of per tensor.")
    private boolean perChannel;

    @Option(names = "--symmetric",
            description = "With --static: int8 activations with zero point 0 instead of uint8 with a fitted zero point.")
    private boolean symmetric;

    @Option(names = "--exclude", paramLabel = "OP_OR_NODE", arity = "1..*",
            description = "Leave nodes of these op types, or of these names, in float.")
    private List<String> exclude = new ArrayList<>();

    @Option(names = "--feature-shape", paramLabel = "DIMS",
            description = "With --static: the shape of one example, as 1x8x8 (default: the model's first input "
                    + "without its batch dimension).")
    private String featureShape;

    @Mixin
    private CsvTableOptions table;

    @ArgGroup(exclusive = true)
    private ScalingOptions scaling;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    /** --dynamic or --static; dynamic when neither is given. */
    static final class Mode {
        @Option(names = "--dynamic", description = "Dynamic quantization (the default).")
        private boolean dynamic;

        @Option(names = "--static", description = "Static QDQ quantization calibrated on --calibration DATA.")
        private boolean staticQdq;
    }

    @Override
    public Integer call() {
        boolean isStatic = mode != null && mode.staticQdq;
        QuantizationSettings settings = settings(isStatic);
        InputFiles.requireReadableFile(input);
        OutputFiles.requireNotSameFile(input, output);
        Model model = ModelFiles.read(input);
        Optional<QuantizeReport.Guard> guard = Optional.empty();
        QuantizationResult result;
        if (budget != null) {
            GuardedQuantization guarded = guarded(model, settings);
            guard = Optional.of(new QuantizeReport.Guard(guarded, budget));
            result = guarded.result();
        } else {
            result = isStatic
                    ? Quantization.qdq(model, settings, data().calibration(model, calibration, batch, calibrationBatches))
                    : Quantization.dynamic(model, settings);
        }
        OutputFiles.createParentDirectories(output);
        ModelFiles.writeAtomically(result.model(), output);
        QuantizeReport report = new QuantizeReport(input.toString(), output.toString(),
                (isStatic ? "static QDQ" : "dynamic") + (perChannel ? ", per channel" : ", per tensor"),
                result.quantizedOpTypes(), size(input), size(output), guard);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? report.toJson() : report.toText());
        out.flush();
        return ExitCode.OK;
    }

    /** The settings the options ask for, after checking that static-only options come with --static. */
    private QuantizationSettings settings(boolean isStatic) {
        if (isStatic && calibration == null) {
            throw new ParameterException(spec.commandLine(), "--static needs calibration data: --calibration DATA");
        }
        if (!isStatic && (calibration != null || calibrate != null || percentile != null || symmetric
                || featureShape != null || scaling != null || table.describesLayout())) {
            throw new ParameterException(spec.commandLine(), "--calibration, --calibrate, --percentile, --symmetric, "
                    + "--feature-shape, the table and the scaling options apply to --static only");
        }
        if ((validation == null) != (budget == null) || (budget != null && !isStatic)) {
            throw new ParameterException(spec.commandLine(), "--validation and --budget go together, with --static");
        }
        if (budget != null && (!(budget >= 0) || !Double.isFinite(budget))) {
            throw new ParameterException(spec.commandLine(), "--budget must be at least 0 points, found " + budget);
        }
        if (calibrationBatches < 1 || batch < 1) {
            throw new ParameterException(spec.commandLine(), "--calibration-batches and --batch must be at least 1, found "
                    + calibrationBatches + " and " + batch);
        }
        table.check();
        if (scaling != null) {
            scaling.check();
        }
        QuantizationSettings.Builder builder = QuantizationSettings.builder()
                .perChannel(perChannel)
                .symmetricActivations(symmetric)
                .calibration(calibrationMethod())
                .exclude(exclude);
        if (percentile != null) {
            if (calibrationMethod() != CalibrationMethod.PERCENTILE) {
                throw new ParameterException(spec.commandLine(), "--percentile needs --calibrate percentile");
            }
            try {
                builder.percentile(percentile);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--percentile: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    private CalibrationMethod calibrationMethod() {
        if (calibrate == null) {
            return CalibrationMethod.MINMAX;
        }
        try {
            return CalibrationMethod.valueOf(calibrate.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(),
                    "--calibrate: expected minmax, percentile or entropy, found '" + calibrate + "'");
        }
    }

    private GuardedQuantization guarded(Model model, QuantizationSettings settings) {
        CalibrationInputs data = data();
        List<Map<String, Tensor>> calibrationData = data.calibration(model, calibration, batch, calibrationBatches);
        ValidationAccuracy accuracy = data.validation(model, validation, batch);
        return AccuracyGuard.quantize(model, settings, calibrationData, accuracy.batches(), accuracy, budget);
    }

    private CalibrationInputs data() {
        return new CalibrationInputs(input, table, scaling != null ? scaling : new ScalingOptions(), featureShape);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw CliFailure.inFile(file, e);
        }
    }
}
