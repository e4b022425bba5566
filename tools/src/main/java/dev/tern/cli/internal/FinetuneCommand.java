package dev.tern.cli.internal;

import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.train.FineTune;
import dev.tern.train.FineTuneTask;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingException;
import dev.tern.train.TrainingOutcome;
import dev.tern.train.UnsupervisedObjective;
import dev.tern.train.data.TextTokenizer;
import dev.tern.train.report.HistoryReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern finetune MODEL --train DATA --out TUNED.onnx ...}: trains a model's weights and
 * exports it. The command reads options and data into a {@link FineTune} recipe, which does
 * the training.
 */
@Command(name = "finetune",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Train a model's weights on labelled data and export the result as a plain inference model.",
            "MODEL's first input gets the features and its first output (or --output) feeds the loss. Every "
                    + "float32 weight (initializer of rank 1 or more) is trained unless --freeze or --trainable say "
                    + "otherwise. DATA is a CSV file (one label column, every other column a feature; a header row "
                    + "unless --no-header) or a folder of images with one sub-folder per class. Labels are classes "
                    + "(indices from 0, or names) when the output scores classes [batch, classes], and numbers to "
                    + "predict when it is [batch, 1]. The written model holds the best validated epoch's weights "
                    + "(see --keep), any --standardize or --min-max scaling as its first nodes, and the class names "
                    + "in its metadata (tern.class_names, a JSON array). With --text-column, MODEL is a text encoder "
                    + "(BERT, MiniLM, ...) and DATA a tab-separated file of labelled texts: the texts are tokenized "
                    + "with --tokenizer and a classification head for the data's classes is put on the encoder and "
                    + "trained with it. Prints a progress line on a terminal and a per-epoch table at the end."})
public final class FinetuneCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx model to train.")
    private Path model;

    @Mixin
    private DataOptions data;


    @Option(names = "--output", paramLabel = "NAME",
            description = "The model output the loss reads, or with --text-column the encoder's hidden states (default: the first).")
    private String output;

    @Option(names = "--task", paramLabel = "TASK",
            description = "classify or regress (an output against the labels, by its width), reconstruct (an "
                    + "autoencoder: mean squared error of --output against the input; labels are ignored), vae (binary "
                    + "cross-entropy of the logits output against the input, summed per example, plus the KL term of "
                    + "outputs 'mu' and 'logvar') or gan (init-model gan's model: per batch a discriminator step and a "
                    + "generator step on fresh noise, Adam and AdamW with beta1 0.5; --out gets the generator, from "
                    + "noise 'z' to 'generated' in the data's scale). Default: the model's tern.task metadata, which "
                    + "init-model writes.")
    private String task;

    @Option(names = "--encoder-out", paramLabel = "ENCODER.onnx",
            description = "With --task reconstruct or vae: also write the trained encoder (an autoencoder's other "
                    + "outputs, as its code; a VAE's 'mu' and 'logvar').")
    private Path encoderOut;

    @Option(names = "--decoder-out", paramLabel = "DECODER.onnx",
            description = "With --task vae: also write the trained decoder as a sampler, from latent 'z' to pixels "
                    + "'reconstruction' through a Sigmoid.")
    private Path decoderOut;

    @Option(names = "--discriminator-out", paramLabel = "DISCRIMINATOR.onnx",
            description = "With --task gan: also write the trained discriminator, from examples 'input' (as in the data) "
                    + "to the logit 'real_score' that they are real.")
    private Path discriminatorOut;

    @Option(names = "--text-column", paramLabel = "NAME",
            description = "Train a text classifier: DATA is tab-separated, with the texts in this column and class names "
                    + "in --label-column.")
    private String textColumn;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "With --text-column: the encoder's tokenizer.json.")
    private Path tokenizer;

    @Option(names = "--max-tokens", paramLabel = "N", description = "With --text-column: cut texts to N tokens (default: 128).")
    private int maxTokens = 128;

    @Option(names = "--mask-input", paramLabel = "NAME",
            description = "With --text-column: the encoder's attention-mask input (default: attention_mask).")
    private String maskInput = TextTokenizer.ATTENTION_MASK;

    @Mixin
    private TrainingOptions training;

    @Mixin
    private LossOption loss;

    @Option(names = "--patience", paramLabel = "N", description = "Stop after N epochs without a lower validation loss.")
    private Integer patience;

    @Option(names = "--freeze", paramLabel = "SCOPE", arity = "1..*",
            description = "Keep the weights in SCOPE unchanged: those whose names, or the names of the nodes reading "
                    + "them (slashes read as dots), start with SCOPE.")
    private List<String> freeze = new ArrayList<>();

    @Option(names = "--trainable", paramLabel = "SCOPE", arity = "1..*",
            description = "Train only the weights in SCOPE (as for --freeze), and a new classification head.")
    private List<String> trainable = new ArrayList<>();

    @Mixin
    private LoraOptions lora;

    @Option(names = "--augment", paramLabel = "LIST",
            description = "Training-image augmentations, comma-separated: shift=PIXELS, flip, noise=STDDEV, "
                    + "rotate=DEGREES, scale=FRACTION (factors 1-F to 1+F), shear=DEGREES, erase=PROBABILITY (a random "
                    + "rectangle set to 0), mixup=ALPHA (blends each batch and its labels with Beta(ALPHA, ALPHA) weights).")
    private String augment;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "Save a checkpoint into DIR after every epoch.")
    private Path checkpoint;

    @Option(names = "--resume", description = "Continue from the latest checkpoint in --checkpoint DIR.")
    private boolean resume;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write training.svg (loss and accuracy curves, and each loss term's when there are several, "
                    + "as a VAE's) and training.html into DIR.")
    private Path report;

    @Option(names = "--out", required = true, paramLabel = "TUNED.onnx",
            description = "Where to write the trained model (a GAN's generator).")
    private Path out;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        Optimizer chosenOptimizer = training.optimizer();
        LongFunction<LearningRateSchedule> chosenSchedule = training.schedule(data.validated());
        InputFiles.requireReadableFile(model);
        OutputFiles.requireNotSameFile(model, out);
        for (Path loraOutput : lora.outputs()) {
            OutputFiles.requireNotSameFile(model, loraOutput);
        }
        Model original = ModelFiles.read(model);
        Optional<FineTuneTask> chosenTask = chosenTask(original);
        if (chosenTask.orElse(null) == FineTuneTask.GAN) {
            return trainGan(original, chosenOptimizer, chosenSchedule);
        }
        if (discriminatorOut != null) {
            throw new ParameterException(spec.commandLine(), "--discriminator-out needs --task gan");
        }
        UnsupervisedObjective unsupervised = unsupervisedObjective(original, chosenTask);
        Map<Path, Model> written = new LinkedHashMap<>();
        FinetuneReport summary;
        try (TrainingInputs inputs = textColumn != null ? textInputs(original)
                : featureInputs(original, unsupervised)) {
            FinetuneProgress progress = new FinetuneProgress(ProgressLine.forConsole(spec.commandLine().getErr()));
            FineTune recipe = recipe(inputs, unsupervised, progress);
            FineTune.Result result;
            try (Runtime runtime = Runtime.create()) {
                result = recipe.run(runtime);
            } finally {
                progress.finish();
            }
            written.put(out, inputs.export().applyTo(result.model()));
            if (encoderOut != null) {
                written.put(encoderOut, inputs.export().applyTo(result.part(UnsupervisedObjective.ENCODER)));
            }
            if (decoderOut != null) {
                written.put(decoderOut, UnsupervisedObjective.sampler(result.part(UnsupervisedObjective.DECODER)));
            }
            result.lora().ifPresent(adapters -> lora.write(adapters, inputs.export()::applyTo));
            summary = new FinetuneReport(model, out, result.weights(), result.trainedParameters(),
                    inputs.trainExamples(), inputs.export().classNames(), inputs.loss(), result.outcome());
        }
        writeAll(written);
        if (report != null && !summary.outcome().history().isEmpty()) {
            writeReport(summary.outcome());
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(summary.json());
        } else {
            summary.printText(stdout);
        }
        stdout.flush();
        return ExitCode.OK;
    }

    /** Writes each model to its file, atomically, creating missing folders. */
    private static void writeAll(Map<Path, Model> written) {
        written.forEach((file, model) -> {
            OutputFiles.createParentDirectories(file);
            ModelFiles.writeAtomically(model, file);
        });
    }

    /** Trains a GAN's two networks by turns and writes the generator (and discriminator), as {@link GanFinetuning} says. */
    private Integer trainGan(Model original, Optimizer chosenOptimizer, LongFunction<LearningRateSchedule> chosenSchedule) {
        checkGanOptions();
        if (discriminatorOut != null) {
            OutputFiles.requireNotSameFile(model, discriminatorOut);
        }
        GanFinetuning gan = new GanFinetuning(model, data.table(), data.scaling(), training.batch(), training.seed());
        FinetuneProgress progress = new FinetuneProgress(ProgressLine.forConsole(spec.commandLine().getErr()));
        GanFinetuning.Trained trained;
        try (Runtime runtime = Runtime.create()) {
            trained = gan.train(original, data.train(), chosenOptimizer, chosenSchedule, training.epochs(), progress,
                    training.sessionConfig(), runtime);
        } finally {
            progress.finish();
        }
        Map<Path, Model> written = new LinkedHashMap<>();
        written.put(out, trained.generator());
        if (discriminatorOut != null) {
            written.put(discriminatorOut, trained.discriminator());
        }
        writeAll(written);
        if (report != null) {
            writeReport(new TrainingOutcome(trained.result().history(), 0, false, training.epochs()));
        }
        GanReport summary = new GanReport(model, out, discriminatorOut, trained.examples(), trained.result());
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(summary.json());
        } else {
            summary.printText(stdout);
        }
        stdout.flush();
        return ExitCode.OK;
    }

    /** Refuses the options a GAN's training has no use for, naming them. */
    private void checkGanOptions() {
        List<String> unused = new ArrayList<>();
        addIf(unused, data.validated(), "--validation/--split");
        addIf(unused, !loss.crossEntropy(), "--loss");
        addIf(unused, output != null, "--output");
        addIf(unused, encoderOut != null || decoderOut != null, "--encoder-out/--decoder-out");
        addIf(unused, textColumn != null, "--text-column");
        addIf(unused, !freeze.isEmpty() || !trainable.isEmpty(), "--freeze/--trainable");
        addIf(unused, lora.enabled(), "--lora");
        addIf(unused, augment != null, "--augment");
        addIf(unused, data.featureShape() != null, "--feature-shape");
        addIf(unused, checkpoint != null, "--checkpoint");
        addIf(unused, patience != null || training.keepGiven(), "--patience/--keep");
        // Reduce-on-plateau follows epoch results that no trainer feeds it here.
        addIf(unused, training.scheduleSpec().startsWith("plateau"), "--schedule plateau");
        if (!unused.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--task gan trains on the examples alone, every epoch kept: "
                    + String.join(", ", unused) + " do not apply");
        }
    }

    private static void addIf(List<String> options, boolean given, String option) {
        if (given) {
            options.add(option);
        }
    }

    /**
     * Numeric features from a CSV file or an image folder, fed to the model's first input; with
     * {@code unsupervised} (maybe null) the labels are read as numbers and left unused.
     */
    private TrainingInputs featureInputs(Model original, UnsupervisedObjective unsupervised) {
        Value prediction = predictionOutput(original);
        AugmentationPlan augmentations = augment == null ? AugmentationPlan.NONE : AugmentationList.parse(augment);
        TrainingTarget target = unsupervised != null ? new TrainingTarget(Loss.meanSquaredError(), 0)
                : TrainingTarget.of(loss.function(), loss.name(), model, prediction, augmentations.mixup().isPresent());
        TrainingInputs inputs = data.prepare(model, original, prediction, target, augmentations, training);
        return unsupervised == null ? inputs : inputs.withLoss(unsupervised.loss(), unsupervised.reportedLoss());
    }

    /**
     * The task --task names, or else the model's metadata; empty when neither says.
     *
     * @throws CliFailure (usage) if either names an unknown task
     */
    private Optional<FineTuneTask> chosenTask(Model original) {
        try {
            return task != null ? Optional.of(FineTuneTask.named(task)) : FineTuneTask.storedIn(original);
        } catch (TrainingException e) {
            throw CliFailure.usage((task != null ? "--task: " : model + ": ") + e.getMessage(), e);
        }
    }

    /**
     * How to train on the features alone, or null when the chosen task learns from labels.
     *
     * @throws ParameterException if --encoder-out or --decoder-out is given for a task with
     *     labels, or --loss or --text-column for a task without
     */
    private UnsupervisedObjective unsupervisedObjective(Model original, Optional<FineTuneTask> chosenTask) {
        Optional<FineTuneTask> chosen = chosenTask.filter(FineTuneTask::unsupervised);
        if (chosen.isEmpty()) {
            if (encoderOut != null || decoderOut != null) {
                throw new ParameterException(spec.commandLine(),
                        "--encoder-out and --decoder-out need --task reconstruct or vae");
            }
            return null;
        }
        if (!loss.crossEntropy() || textColumn != null) {
            throw new ParameterException(spec.commandLine(), "--task " + chosen.get().label()
                    + " sets its own loss on numeric features: --loss and --text-column do not apply");
        }
        String input = original.graph().inputs().get(0).name();
        return UnsupervisedObjective.of(chosen.get(), predictionOutput(original).name(), input);
    }

    private TrainingInputs textInputs(Model encoder) {
        TextInputs text = new TextInputs(model, textColumn, data.table().labelColumnName(), tokenizer, maxTokens, output,
                maskInput);
        return text.prepare(encoder, data.train(), data.validation(), data.split(), training.batch(), training.seed());
    }

    private void checkOptions() {
        if (data.train() == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--train=DATA'");
        }
        training.check(data.validated());
        loss.function();
        if (patience != null) {
            if (patience < 1) {
                throw new ParameterException(spec.commandLine(), "--patience must be at least 1, found " + patience);
            }
            if (!data.validated()) {
                throw new ParameterException(spec.commandLine(), "--patience needs validation data: --validation or --split");
            }
        }
        data.check();
        if (augment != null) {
            AugmentationList.parse(augment);
        }
        checkTextOptions();
        lora.check();
        if (resume && checkpoint == null) {
            throw new ParameterException(spec.commandLine(), "--resume needs --checkpoint DIR");
        }
        if (resume && !Files.isDirectory(checkpoint)) {
            throw CliFailure.usage(checkpoint, "no such checkpoint folder to resume from");
        }
    }

    private void checkTextOptions() {
        if (textColumn == null) {
            if (tokenizer != null) {
                throw new ParameterException(spec.commandLine(), "--tokenizer applies to text data: add --text-column NAME");
            }
            return;
        }
        if (tokenizer == null) {
            throw new ParameterException(spec.commandLine(), "--text-column needs the encoder's tokenizer: --tokenizer FILE");
        }
        InputFiles.requireReadableFile(tokenizer);
        if (maxTokens < 2) {
            throw new ParameterException(spec.commandLine(), "--max-tokens must be at least 2, found " + maxTokens);
        }
        if (!loss.crossEntropy()) {
            throw new ParameterException(spec.commandLine(), "text data has class labels: --loss must be ce, found "
                    + loss.name());
        }
        if (augment != null || data.featureShape() != null || data.scaling().given() || data.table().describesLayout()) {
            throw new ParameterException(spec.commandLine(), "--augment, --feature-shape, --scale, --standardize, "
                    + "--min-max, --no-header and --skip-lines apply to numeric features, not to text");
        }
    }

    /** The output the loss reads: --output, or the model's first output. */
    private Value predictionOutput(Model original) {
        List<Value> outputs = original.graph().outputs();
        if (output == null) {
            return outputs.get(0);
        }
        return outputs.stream().filter(value -> value.name().equals(output)).findFirst()
                .orElseThrow(() -> CliFailure.usage("--output " + output + ": no such output in " + model
                        + ", expected one of " + outputs.stream().map(Value::name).toList()));
    }

    /**
     * The recipe for {@code inputs} with the options' weights scopes, schedule and trainer
     * settings, and the parts {@code unsupervised} (maybe null) writes.
     *
     * @throws CliFailure (usage) if a --trainable or --freeze scope matches no weight, or none is left
     */
    private FineTune recipe(TrainingInputs inputs, UnsupervisedObjective unsupervised, FinetuneProgress progress) {
        FineTune.Builder builder = FineTune.builder(inputs.model(), inputs.train())
                .loss(inputs.terms())
                .trainable(trainable)
                .frozen(freeze)
                .alwaysTrained(inputs.alwaysTrained())
                .listener(progress);
        training.applyTo(builder, inputs, data.validated());
        if (patience != null) {
            builder.earlyStopping(patience);
        }
        if (checkpoint != null) {
            builder.checkpoints(checkpoint, resume);
        }
        if (lora.enabled()) {
            builder.lora(lora.settings(training.seed()));
        }
        try {
            if (unsupervised != null) {
                unsupervised.exportParts(builder, inputs.model(), encoderOut != null, decoderOut != null);
            }
            return builder.build();
        } catch (TrainingException e) {
            throw CliFailure.usage(e.getMessage(), e);
        }
    }

    private void writeReport(TrainingOutcome outcome) {
        OutputFiles.createParentDirectories(report.resolve("training.svg"));
        try {
            HistoryReport.writeSvg(outcome.history(), report.resolve("training.svg"));
            HistoryReport.writeHtml(outcome.history(), "Fine-tuning " + model.getFileName(), report.resolve("training.html"));
        } catch (IOException e) {
            throw CliFailure.inFile(report, e);
        }
    }
}
