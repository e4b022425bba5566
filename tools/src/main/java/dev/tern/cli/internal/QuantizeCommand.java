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
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern quantize IN OUT [--dynamic | --static --calibration DATA | --qat --train DATA]
 * [--per-channel] [--calibrate minmax|percentile|entropy] [--symmetric] [--exclude OP_OR_NODE...]
 * [--validation DATA --budget POINTS]}, with the data options of the commands that train and,
 * for {@code --qat}, their training options.
 */
@Command(name = "quantize",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Quantize a float model to 8-bit integers.",
            "--dynamic (the default) stores MatMul and Gemm weights and Gather tables as int8 and quantizes "
                    + "activations at run time, as ONNX Runtime's quantize_dynamic. --static calibrates every Conv, "
                    + "MatMul and Gemm activation's range on --calibration data and writes QuantizeLinear/"
                    + "DequantizeLinear pairs (QDQ format), as ONNX Runtime's quantize_static. --qat trains for it: "
                    + "quantization-aware training calibrates the same ranges (on --calibration, else --train), "
                    + "fine-tunes the model on --train's labels (cross-entropy on the first output's class scores) with "
                    + "the weights and activations fake-quantized, and writes the static QDQ model of the trained "
                    + "weights. With --validation or --split it reports the validation accuracy of the float model, "
                    + "of the static model calibrated alike, and of the QAT model. The data and training options are "
                    + "those of tern finetune; only --batch applies without --qat."})
public final class QuantizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "The float .onnx model.")
    private Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Where to write the quantized model.")
    private Path output;

    @ArgGroup(exclusive = true)
    private Mode mode;

    @Option(names = "--calibration", paramLabel = "DATA",
            description = "With --static (and --qat, whose default is --train): calibration data, a .csv file or an "
                    + "image folder as tern finetune reads (its table and scaling options apply); labels are read and "
                    + "ignored.")
    private Path calibration;

    @Option(names = "--calibrate", paramLabel = "METHOD",
            description = "With --static: minmax (the default), percentile or entropy.")
    private String calibrate;

    @Option(names = "--percentile", paramLabel = "P",
            description = "With --calibrate percentile: the percentage of values kept in range (default: 99.999).")
    private Double percentile;

    @Option(names = "--calibration-batches", paramLabel = "N",
            description = "With --static or --qat: calibrate on the first N batches of --batch examples (default: 32).")
    private int calibrationBatches = 32;

    @Option(names = "--budget", paramLabel = "POINTS",
            description = "With --static and --validation: the most accuracy points (0.5 = half a percent) quantization may lose; "
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

    @Mixin
    private DataOptions data;

    @Mixin
    private TrainingOptions training;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    /** --dynamic, --static or --qat; dynamic when none is given. */
    static final class Mode {
        @Option(names = "--dynamic", description = "Dynamic quantization (the default).")
        private boolean dynamic;

        @Option(names = "--static", description = "Static QDQ quantization calibrated on --calibration DATA.")
        private boolean staticQdq;

        @Option(names = "--qat", description = "Quantization-aware training on --train DATA, written as static QDQ.")
        private boolean qat;
    }

    @Override
    public Integer call() throws Exception {
        boolean isQat = mode != null && mode.qat;
        boolean isStatic = mode != null && mode.staticQdq;
        QuantizationSettings settings = isQat ? qatSettings() : settings(isStatic);
        InputFiles.requireReadableFile(input);
        OutputFiles.requireNotSameFile(input, output);
        Model model = ModelFiles.read(input);
        Optional<QuantizeReport.Guard> guard = Optional.empty();
        Optional<QuantizeReport.QatAccuracy> qatAccuracy = Optional.empty();
        QuantizationResult result;
        if (isQat) {
            QatQuantization.Outcome outcome = qat(model, settings);
            qatAccuracy = outcome.accuracy();
            result = outcome.result();
        } else if (budget != null) {
            GuardedQuantization guarded = guarded(model, settings);
            guard = Optional.of(new QuantizeReport.Guard(guarded, budget));
            result = guarded.result();
        } else {
            result = isStatic ? Quantization.qdq(model, settings, calibrationBatches(model, calibration))
                    : Quantization.dynamic(model, settings);
        }
        OutputFiles.createParentDirectories(output);
        ModelFiles.writeAtomically(result.model(), output);
        String modeName = isQat ? "quantization-aware training, static QDQ" : isStatic ? "static QDQ" : "dynamic";
        QuantizeReport report = new QuantizeReport(input.toString(), output.toString(),
                modeName + (perChannel ? ", per channel" : ", per tensor"),
                result.quantizedOpTypes(), size(input), size(output), guard, qatAccuracy);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? report.toJson() : report.toText());
        out.flush();
        return ExitCode.OK;
    }

    /** Fine-tunes with fake quantization, following progress on the terminal. */
    private QatQuantization.Outcome qat(Model model, QuantizationSettings settings) throws Exception {
        List<Map<String, Tensor>> calibrationData = calibrationBatches(model,
                calibration != null ? calibration : data.train());
        FinetuneProgress progress = new FinetuneProgress(ProgressLine.forConsole(spec.commandLine().getErr()));
        try {
            return new QatQuantization(input, data, training).quantize(model, settings, calibrationData, progress);
        } finally {
            progress.finish();
        }
    }

    /** The settings of --qat, after checking that it has training data and no static-only option. */
    private QuantizationSettings qatSettings() {
        if (data.train() == null) {
            throw new ParameterException(spec.commandLine(), "--qat needs labelled training data: --train DATA");
        }
        if (budget != null) {
            throw new ParameterException(spec.commandLine(), "--budget applies to --static; --qat trains every "
                    + "quantized layer instead of keeping some in float");
        }
        training.check(data.validated());
        return checkedSettings();
    }

    /** The settings --dynamic or --static ask for, after checking that static-only options come with --static. */
    private QuantizationSettings settings(boolean isStatic) {
        if (isStatic && calibration == null) {
            throw new ParameterException(spec.commandLine(), "--static needs calibration data: --calibration DATA");
        }
        if (!isStatic && (calibration != null || calibrate != null || percentile != null || symmetric
                || data.featureShape() != null || data.scaling().given() || data.table().describesLayout())) {
            throw new ParameterException(spec.commandLine(), "--calibration, --calibrate, --percentile, --symmetric, "
                    + "--feature-shape, the table and the scaling options apply to --static and --qat only");
        }
        List<String> trainingOnly = givenTrainingOptions();
        if (data.train() != null || data.split() != null || !trainingOnly.isEmpty()) {
            trainingOnly.add(0, "--train/--split");
            throw new ParameterException(spec.commandLine(), String.join(", ", trainingOnly) + " apply to --qat only");
        }
        if ((data.validation() == null) != (budget == null) || (budget != null && !isStatic)) {
            throw new ParameterException(spec.commandLine(), "--validation and --budget go together, with --static");
        }
        if (budget != null && (!(budget >= 0) || !Double.isFinite(budget))) {
            throw new ParameterException(spec.commandLine(), "--budget must be at least 0 points, found " + budget);
        }
        return checkedSettings();
    }

    /** The training options given on the command line, but --batch, which calibration reads too. */
    private List<String> givenTrainingOptions() {
        ParseResult parsed = spec.commandLine().getParseResult();
        return spec.mixins().get("training").options().stream()
                .filter(parsed::hasMatchedOption)
                .map(OptionSpec::longestName)
                .filter(name -> !name.equals("--batch"))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /** The settings of the options every mode shares, after checking the batch counts and the data options. */
    private QuantizationSettings checkedSettings() {
        if (calibrationBatches < 1 || training.batch() < 1) {
            throw new ParameterException(spec.commandLine(), "--calibration-batches and --batch must be at least 1, found "
                    + calibrationBatches + " and " + training.batch());
        }
        data.check();
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
        List<Map<String, Tensor>> calibrationData = calibrationBatches(model, calibration);
        ValidationAccuracy accuracy = calibrationInputs().validation(model, data.validation(), training.batch());
        return AccuracyGuard.quantize(model, settings, calibrationData, accuracy.batches(), accuracy, budget);
    }

    private List<Map<String, Tensor>> calibrationBatches(Model model, Path examples) {
        return calibrationInputs().calibration(model, examples, training.batch(), calibrationBatches);
    }

    private CalibrationInputs calibrationInputs() {
        return new CalibrationInputs(input, data.table(), data.scaling(), data.featureShape());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw CliFailure.inFile(file, e);
        }
    }
}
