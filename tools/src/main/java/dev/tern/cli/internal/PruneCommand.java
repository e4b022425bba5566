package dev.tern.cli.internal;

import dev.tern.compress.prune.ChannelNorm;
import dev.tern.compress.prune.ChannelPlan;
import dev.tern.compress.prune.GradualPruning;
import dev.tern.compress.prune.MagnitudePruning;
import dev.tern.compress.prune.SparsitySchedule;
import dev.tern.compress.prune.SparsityScope;
import dev.tern.compress.prune.StructuredPruning;
import dev.tern.compress.prune.WeightSparsity;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.train.FineTune;
import dev.tern.train.FineTuneData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern prune IN OUT --sparsity S [--structured] [--per-layer] [--train DATA ...]}: prunes
 * a model with {@code dev.tern.compress.prune}, fine-tuning it through {@link FineTune} when
 * given data, and compares it before and after.
 */
@Command(name = "prune",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Prune a model's Conv, Gemm and MatMul weights and report size, speed and accuracy before and after.",
            "Unstructured (the default): the fraction --sparsity of the weights of smallest magnitude become exact "
                    + "zeros, ranked over all layers together or, with --per-layer, in each. With --train the "
                    + "sparsity rises over the first --pruning-epochs epochs (Zhu and Gupta's cubic schedule, one mask "
                    + "update per epoch) while the model fine-tunes with the masks in its training graph, and the "
                    + "remaining epochs fine-tune at the target; the written model holds plain weights with zeros. "
                    + "--structured removes the fraction --sparsity of the output channels of every Conv and of the "
                    + "neurons of every Gemm and MatMul (smallest --norm first) and cuts the weights that read them, so "
                    + "the model gets smaller and faster; layers whose channels are model outputs stay whole. With "
                    + "--train the smaller model is then fine-tuned. The data options are those of tern finetune."})
public final class PruneCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "The .onnx model to prune.")
    private Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Where to write the pruned model.")
    private Path output;

    @Option(names = "--sparsity", required = true, paramLabel = "S",
            description = "The fraction of weights (or with --structured, of channels) to remove, at least 0 and below 1.")
    private double sparsity;

    @Option(names = "--structured", description = "Remove whole output channels and neurons instead of single weights.")
    private boolean structured;

    @Option(names = "--norm", paramLabel = "NORM",
            description = "With --structured: rank channels by the l1 or l2 (the default) norm of their weights.")
    private String norm;

    @Option(names = "--per-layer",
            description = "Unstructured: give every layer the same sparsity instead of ranking all weights together.")
    private boolean perLayer;

    @Mixin
    private DataOptions data;

    @Mixin
    private TrainingOptions training;

    @Mixin
    private LossOption loss;

    @Option(names = "--pruning-epochs", paramLabel = "N",
            description = "Unstructured with --train: the epochs over which the sparsity rises, one mask update each "
                    + "(default: half of --epochs, at least 1).")
    private Integer pruningEpochs;

    @Option(names = "--timing", paramLabel = "SECONDS",
            description = "How long to time the two models, alternating runs (default: 2).")
    private double timingSeconds = 2;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        InputFiles.requireReadableFile(input);
        OutputFiles.requireNotSameFile(input, output);
        Model original = ModelFiles.read(input);
        SessionConfig config = training.sessionConfig();
        List<String> details = new ArrayList<>();
        try (Runtime runtime = Runtime.create();
             FineTuneData inputs = data.train() == null ? null : trainingInputs(original)) {
            Model pruned = structured ? structured(runtime, original, inputs, details)
                    : unstructured(runtime, original, inputs, details);
            OutputFiles.createParentDirectories(output);
            ModelFiles.writeAtomically(pruned, output);
            double[] latency = PairedTiming.medianMillis(runtime, original, pruned, training.batch(), config,
                    timingSeconds);
            PruneReport report = new PruneReport(input, output, method(), sparsity,
                    side(runtime, original, input, latency[0], inputs, config),
                    side(runtime, pruned, output, latency[1], inputs, config), training.batch(), details);
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

    private Model structured(Runtime runtime, Model original, FineTuneData inputs, List<String> details) {
        ChannelPlan plan = StructuredPruning.plan(original, sparsity, channelNorm());
        plan.layers().forEach(layer -> details.add(layer.toString() + " kept"));
        plan.untouched().forEach((weight, reason) -> details.add(weight + ": kept whole, " + reason));
        Model smaller = StructuredPruning.removeChannels(original, plan);
        if (inputs == null) {
            return smaller;
        }
        return training.applyTo(FineTune.builder(smaller, inputs.train()), inputs)
                .loss(inputs.loss()).build().run(runtime).model();
    }

    private Model unstructured(Runtime runtime, Model original, FineTuneData inputs, List<String> details) {
        SparsityScope scope = perLayer ? SparsityScope.PER_LAYER : SparsityScope.GLOBAL;
        Model pruned;
        if (inputs == null) {
            pruned = MagnitudePruning.prune(original, sparsity, scope);
        } else {
            int updates = pruningEpochs != null ? pruningEpochs : Math.max(1, training.epochs() / 2);
            Consumer<FineTune.Builder> recipe = lossAndValidation(inputs)
                    .andThen(builder -> builder.optimizer(training.optimizer()).sessionConfig(training.sessionConfig()));
            GradualPruning.Result result = GradualPruning.builder(original, inputs.train(), recipe)
                    .sparsity(new SparsitySchedule(sparsity, updates))
                    .scope(scope)
                    .epochs(training.epochs())
                    .learningRates(training.schedule(data.validated()))
                    .build()
                    .run(runtime);
            result.stages().forEach(stage -> details.add(String.format(Locale.ROOT,
                    "mask update %d of %d: %.1f%% of the layer weights pruned", stage.update(), updates,
                    100 * stage.sparsity())));
            pruned = result.model();
        }
        for (WeightSparsity weight : WeightSparsity.of(pruned)) {
            if (weight.zeros() > 0) {
                details.add(String.format(Locale.ROOT, "%s: %.1f%% zeros (%,d of %,d)", weight.weight(),
                        100 * weight.fraction(), weight.zeros(), weight.count()));
            }
        }
        return pruned;
    }

    /** The loss and validation data of every fine-tuning. */
    private static Consumer<FineTune.Builder> lossAndValidation(FineTuneData inputs) {
        return builder -> {
            builder.loss(inputs.loss());
            inputs.validation().ifPresent(builder::validation);
        };
    }

    /** The training data as tern finetune reads it, for the model's first input and first output. */
    private FineTuneData trainingInputs(Model original) {
        return data.prepare(input, original, training, features -> features.loss(loss.function()));
    }

    /** The measurements of {@code model}, written at {@code file}. */
    private PruneReport.Side side(Runtime runtime, Model model, Path file, double latency, FineTuneData inputs,
                                  SessionConfig config) throws IOException {
        WeightSparsity all = WeightSparsity.total(WeightSparsity.of(model));
        double accuracy = inputs == null || inputs.validation().isEmpty() || !loss.crossEntropy() ? Double.NaN
                : ValidationAccuracy.of(runtime, model, model.graph().outputs().get(0).name(), inputs.validation().get(),
                        config);
        return new PruneReport.Side(all.count(), all.count() - all.zeros(), Files.size(file), latency, accuracy);
    }

    private String method() {
        if (structured) {
            return "structured, " + channelNorm().name().toLowerCase(Locale.ROOT) + " norm";
        }
        return "unstructured, " + (perLayer ? "per layer" : "global") + (data.train() == null ? "" : ", gradual");
    }

    private ChannelNorm channelNorm() {
        if (norm == null) {
            return ChannelNorm.L2;
        }
        return switch (norm) {
            case "l1" -> ChannelNorm.L1;
            case "l2" -> ChannelNorm.L2;
            default -> throw new ParameterException(spec.commandLine(), "--norm: expected l1 or l2, found '" + norm + "'");
        };
    }

    private void checkOptions() {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new ParameterException(spec.commandLine(), "--sparsity must be at least 0 and below 1, found " + sparsity);
        }
        if (structured && perLayer) {
            throw new ParameterException(spec.commandLine(),
                    "--per-layer applies to unstructured pruning; --structured removes the same fraction of every layer's channels");
        }
        if (!structured && norm != null) {
            throw new ParameterException(spec.commandLine(), "--norm applies to --structured pruning");
        }
        channelNorm();
        training.check(data.validated());
        loss.function();
        data.check();
        if (pruningEpochs != null) {
            if (structured || data.train() == null) {
                throw new ParameterException(spec.commandLine(), "--pruning-epochs applies to unstructured pruning with --train");
            }
            requireAtLeast("--pruning-epochs", pruningEpochs, 1);
            if (pruningEpochs > training.epochs()) {
                throw new ParameterException(spec.commandLine(), "--pruning-epochs " + pruningEpochs
                        + " exceeds --epochs " + training.epochs() + ": the masks are updated once per epoch");
            }
        }
        if (!structured && (training.keepGiven() || training.scheduleSpec().startsWith("plateau"))) {
            // Gradual pruning keeps the last epoch of each mask update and runs one schedule across them.
            throw new ParameterException(spec.commandLine(),
                    "--keep and --schedule plateau apply to --structured pruning; gradual pruning keeps each mask "
                            + "update's last epoch and runs one schedule across the updates");
        }
        if (!(timingSeconds > 0) || !Double.isFinite(timingSeconds)) {
            throw new ParameterException(spec.commandLine(), "--timing must be above 0 seconds, found " + timingSeconds);
        }
        if (data.train() == null && data.validated()) {
            throw new ParameterException(spec.commandLine(), "--validation and --split need --train DATA");
        }
    }

    private void requireAtLeast(String option, int value, int minimum) {
        if (value < minimum) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + minimum + ", found " + value);
        }
    }
}
