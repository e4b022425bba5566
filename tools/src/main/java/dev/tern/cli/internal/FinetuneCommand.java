package dev.tern.cli.internal;

import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.train.FineTune;
import dev.tern.train.KeptWeights;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingException;
import dev.tern.train.TrainingOutcome;
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
    private static final String KEEP_BEST = "best";
    private static final String KEEP_LAST = "last";

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx model to train.")
    private Path model;

    @Option(names = "--train", required = true, paramLabel = "DATA",
            description = "Training data: a .csv file or an image folder (a .tsv file with --text-column).")
    private Path train;

    @ArgGroup(exclusive = true)
    private ValidationSource validationSource;

    @Mixin
    private CsvTableOptions table;

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

    @Option(names = "--loss", paramLabel = "NAME",
            description = "ce (cross-entropy on logits and class labels, the default), mse, l1 or bce (on logits); "
                    + "mse, l1 and bce compare class scores with one-hot labels, a [batch, 1] output with a numeric label.")
    private String loss = "ce";

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, adam or adamw (the default).")
    private String optimizer = "adamw";

    @Option(names = "--lr", paramLabel = "RATE", description = "The peak learning rate (default: 1e-3).")
    private double learningRate = 1e-3;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD's momentum (default: 0).")
    private double momentum;

    @Option(names = "--weight-decay", paramLabel = "W",
            description = "AdamW's decoupled weight decay, or SGD's and Adam's L2 term (default: 0.01 for adamw, else 0).")
    private Double weightDecay;

    @Option(names = "--schedule", paramLabel = "NAME[:KEY=VALUE,...]",
            description = "constant (the default), step (x0.1 after each third of the run), cosine (to 0 over the run), "
                    + "warmup-cosine (linear warm-up over the first 5%% of steps, then cosine), exponential[:gamma=G] "
                    + "(x G per epoch, smoothly; by default to 1%% of --lr at the end), linear[:end=RATE] (straight to "
                    + "RATE, default 0), one-cycle[:warmup=0.3,div=25,final-div=1e4] (PyTorch's OneCycleLR peaking at "
                    + "--lr), or plateau[:factor=0.1,patience=10,cooldown=0,min=0,threshold=1e-4,metric=loss|accuracy|"
                    + "train-loss,mode=min|max] (reduce-on-plateau after each epoch; its state is kept in --checkpoint).")
    private String schedule = "constant";

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data (default: 10).")
    private int epochs = 10;

    @Option(names = "--batch", paramLabel = "N", description = "Examples per step (default: 32).")
    private int batch = 32;

    @Option(names = "--patience", paramLabel = "N", description = "Stop after N epochs without a lower validation loss.")
    private Integer patience;

    @Option(names = "--keep", paramLabel = "WHICH",
            description = "Write the weights of the best epoch (lowest validation loss; the default with validation "
                    + "data) or of the last epoch: best or last.")
    private String keep;

    @Option(names = "--freeze", paramLabel = "SCOPE", arity = "1..*",
            description = "Keep the weights in SCOPE unchanged: those whose names, or the names of the nodes reading "
                    + "them (slashes read as dots), start with SCOPE.")
    private List<String> freeze = new ArrayList<>();

    @Option(names = "--trainable", paramLabel = "SCOPE", arity = "1..*",
            description = "Train only the weights in SCOPE (as for --freeze), and a new classification head.")
    private List<String> trainable = new ArrayList<>();

    @Mixin
    private LoraOptions lora;

    @Option(names = "--feature-shape", paramLabel = "DIMS",
            description = "Shape of one example, as 1x8x8 (default: the model's first input without its batch dimension).")
    private String featureShape;

    @ArgGroup(exclusive = true)
    private ScalingOptions scaling;

    @Option(names = "--augment", paramLabel = "LIST",
            description = "Training-image augmentations, comma-separated: shift=PIXELS, flip, noise=STDDEV, "
                    + "rotate=DEGREES, scale=FRACTION (factors 1-F to 1+F), shear=DEGREES, erase=PROBABILITY (a random "
                    + "rectangle set to 0), mixup=ALPHA (blends each batch and its labels with Beta(ALPHA, ALPHA) weights).")
    private String augment;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the split, the shuffling and the augmentations (default: 42).")
    private long seed = 42;

    @Option(names = "--threads", paramLabel = "N", description = "ONNX Runtime's threads inside one operator; 0 (the default) lets it choose.")
    private int threads;

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
        // Parsed before any data is read, so a typo fails at once.
        Loss lossFunction = TrainingRecipe.loss(loss);
        Optimizer chosenOptimizer = TrainingRecipe.optimizer(optimizer, momentum, weightDecay());
        LongFunction<LearningRateSchedule> chosenSchedule = TrainingRecipe.schedule(schedule, learningRate, epochs,
                validationSource != null);
        InputFiles.requireReadableFile(model);
        OutputFiles.requireNotSameFile(model, out);
        for (Path loraOutput : lora.outputs()) {
            OutputFiles.requireNotSameFile(model, loraOutput);
        }
        Model original = ModelFiles.read(model);
        if (FinetuneTask.of(task, original, model).orElse(null) == FinetuneTask.GAN) {
            return trainGan(original, chosenOptimizer, chosenSchedule);
        }
        if (discriminatorOut != null) {
            throw new ParameterException(spec.commandLine(), "--discriminator-out needs --task gan");
        }
        UnsupervisedTraining unsupervised = unsupervisedTraining(original);
        Map<Path, Model> written = new LinkedHashMap<>();
        FinetuneReport summary;
        try (TrainingInputs inputs = textColumn != null ? textInputs(original)
                : featureInputs(original, lossFunction, unsupervised)) {
            FinetuneProgress progress = new FinetuneProgress(ProgressLine.forConsole(spec.commandLine().getErr()));
            FineTune recipe = recipe(inputs, unsupervised, chosenOptimizer, chosenSchedule, progress);
            FineTune.Result result;
            try (Runtime runtime = Runtime.create()) {
                result = recipe.run(runtime);
            } finally {
                progress.finish();
            }
            written.put(out, inputs.export().applyTo(result.model()));
            if (encoderOut != null) {
                written.put(encoderOut, inputs.export().applyTo(result.part(UnsupervisedTraining.ENCODER)));
            }
            if (decoderOut != null) {
                written.put(decoderOut, UnsupervisedTraining.sampler(result.part(UnsupervisedTraining.DECODER)));
            }
            result.lora().ifPresent(adapters -> lora.write(adapters, inputs.export()::applyTo));
            summary = new FinetuneReport(model, out, result.weights(), result.trainedParameters(),
                    inputs.trainExamples(), inputs.export().classNames(), inputs.loss(), result.outcome());
        }
        written.forEach((file, trained) -> {
            OutputFiles.createParentDirectories(file);
            ModelFiles.writeAtomically(trained, file);
        });
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

    /** Trains a GAN's two networks by turns and writes the generator (and discriminator), as {@link GanFinetuning} says. */
    private Integer trainGan(Model original, Optimizer chosenOptimizer, LongFunction<LearningRateSchedule> chosenSchedule) {
        checkGanOptions();
        if (discriminatorOut != null) {
            OutputFiles.requireNotSameFile(model, discriminatorOut);
        }
        GanFinetuning gan = new GanFinetuning(model, table, scalingOptions(), batch, seed);
        FinetuneProgress progress = new FinetuneProgress(ProgressLine.forConsole(spec.commandLine().getErr()));
        GanFinetuning.Trained trained;
        try (Runtime runtime = Runtime.create()) {
            trained = gan.train(original, train, chosenOptimizer, chosenSchedule, epochs, progress,
                    SessionConfig.builder().intraOpThreads(threads).build(), runtime);
        } finally {
            progress.finish();
        }
        Map<Path, Model> written = new LinkedHashMap<>();
        written.put(out, trained.generator());
        if (discriminatorOut != null) {
            written.put(discriminatorOut, trained.discriminator());
        }
        written.forEach((file, part) -> {
            OutputFiles.createParentDirectories(file);
            ModelFiles.writeAtomically(part, file);
        });
        if (report != null) {
            writeReport(new TrainingOutcome(trained.result().history(), 0, false, epochs));
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
        addIf(unused, validationSource != null, "--validation/--split");
        addIf(unused, !loss.equals("ce"), "--loss");
        addIf(unused, output != null, "--output");
        addIf(unused, encoderOut != null || decoderOut != null, "--encoder-out/--decoder-out");
        addIf(unused, textColumn != null, "--text-column");
        addIf(unused, !freeze.isEmpty() || !trainable.isEmpty(), "--freeze/--trainable");
        addIf(unused, lora.enabled(), "--lora");
        addIf(unused, augment != null, "--augment");
        addIf(unused, featureShape != null, "--feature-shape");
        addIf(unused, checkpoint != null, "--checkpoint");
        addIf(unused, patience != null || keep != null, "--patience/--keep");
        // Reduce-on-plateau follows epoch results that no trainer feeds it here.
        addIf(unused, schedule.startsWith("plateau"), "--schedule plateau");
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
    private TrainingInputs featureInputs(Model original, Loss lossFunction, UnsupervisedTraining unsupervised) {
        Value prediction = predictionOutput(original);
        AugmentationPlan augmentations = augment == null ? AugmentationPlan.NONE : AugmentationList.parse(augment);
        TrainingTarget target = unsupervised != null ? new TrainingTarget(Loss.meanSquaredError(), 0)
                : TrainingTarget.of(lossFunction, loss, model, prediction, augmentations.mixup().isPresent());
        FeatureInputs features = new FeatureInputs(model, table, scalingOptions(), featureShape, augmentations, batch, seed);
        TrainingInputs inputs = features.prepare(original, prediction, target, train,
                validationSource == null ? null : validationSource.data,
                validationSource == null ? null : validationSource.fraction);
        return unsupervised == null ? inputs : inputs.withLoss(unsupervised.loss(), unsupervised.reportedLoss());
    }

    /**
     * How to train on the features alone, or null when the task (--task, else the model's
     * metadata) learns from labels.
     *
     * @throws ParameterException if --encoder-out or --decoder-out is given for a task with
     *     labels, or --loss or --text-column for a task without
     */
    private UnsupervisedTraining unsupervisedTraining(Model original) {
        Optional<FinetuneTask> chosen = FinetuneTask.of(task, original, model).filter(FinetuneTask::unsupervised);
        if (chosen.isEmpty()) {
            if (encoderOut != null || decoderOut != null) {
                throw new ParameterException(spec.commandLine(),
                        "--encoder-out and --decoder-out need --task reconstruct or vae");
            }
            return null;
        }
        if (!loss.equals("ce") || textColumn != null) {
            throw new ParameterException(spec.commandLine(), "--task " + chosen.get().label()
                    + " sets its own loss on numeric features: --loss and --text-column do not apply");
        }
        String input = original.graph().inputs().get(0).name();
        return new UnsupervisedTraining(chosen.get(), model, predictionOutput(original).name(), input);
    }

    private TrainingInputs textInputs(Model encoder) {
        TextInputs text = new TextInputs(model, textColumn, table.labelColumnName(), tokenizer, maxTokens, output, maskInput);
        return text.prepare(encoder, train, validationSource == null ? null : validationSource.data,
                validationSource == null ? null : validationSource.fraction, batch, seed);
    }

    private void checkOptions() {
        requireAtLeast("--epochs", epochs, 1);
        requireAtLeast("--batch", batch, 1);
        requireAtLeast("--threads", threads, 0);
        if (patience != null) {
            requireAtLeast("--patience", patience, 1);
            if (validationSource == null) {
                throw new ParameterException(spec.commandLine(), "--patience needs validation data: --validation or --split");
            }
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new ParameterException(spec.commandLine(), "--lr must be above 0, found " + learningRate);
        }
        scalingOptions().check();
        table.check();
        checkKeep();
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
        requireAtLeast("--max-tokens", maxTokens, 2);
        if (!loss.equals("ce")) {
            throw new ParameterException(spec.commandLine(), "text data has class labels: --loss must be ce, found " + loss);
        }
        if (augment != null || featureShape != null || scaling != null || table.describesLayout()) {
            throw new ParameterException(spec.commandLine(), "--augment, --feature-shape, --scale, --standardize, "
                    + "--min-max, --no-header and --skip-lines apply to numeric features, not to text");
        }
    }

    private void requireAtLeast(String option, int value, int minimum) {
        if (value < minimum) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + minimum + ", found " + value);
        }
    }

    private void checkKeep() {
        if (keep == null) {
            return;
        }
        if (!keep.equals(KEEP_BEST) && !keep.equals(KEEP_LAST)) {
            throw CliFailure.usage("--keep: unknown '" + keep + "', expected " + KEEP_BEST + " or " + KEEP_LAST);
        }
        if (keep.equals(KEEP_BEST) && validationSource == null) {
            throw new ParameterException(spec.commandLine(), "--keep best needs validation data: --validation or --split");
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
    private FineTune recipe(TrainingInputs inputs, UnsupervisedTraining unsupervised, Optimizer chosenOptimizer,
                            LongFunction<LearningRateSchedule> chosenSchedule, FinetuneProgress progress) {
        FineTune.Builder builder = FineTune.builder(inputs.model(), inputs.train())
                .loss(inputs.terms())
                .trainable(trainable)
                .frozen(freeze)
                .alwaysTrained(inputs.alwaysTrained())
                .optimizer(chosenOptimizer)
                .schedule(chosenSchedule)
                .epochs(epochs)
                .listener(progress)
                .sessionConfig(SessionConfig.builder().intraOpThreads(threads).build());
        if (inputs.validation() != null) {
            builder.validation(inputs.validation());
        }
        if (patience != null) {
            builder.earlyStopping(patience);
        }
        if (checkpoint != null) {
            builder.checkpoints(checkpoint, resume);
        }
        if (lora.enabled()) {
            builder.lora(lora.settings(seed));
        }
        if (keep != null) {
            builder.keep(keep.equals(KEEP_BEST) ? KeptWeights.BEST_EPOCH : KeptWeights.LAST_EPOCH);
        }
        if (unsupervised != null) {
            unsupervised.exportParts(builder, inputs.model(), encoderOut != null, decoderOut != null);
        }
        try {
            return builder.build();
        } catch (TrainingException e) {
            throw CliFailure.usage(e.getMessage(), e);
        }
    }

    /** The scaling options; picocli leaves the exclusive group null when none is given. */
    private ScalingOptions scalingOptions() {
        return scaling != null ? scaling : new ScalingOptions();
    }

    private double weightDecay() {
        if (weightDecay != null) {
            return weightDecay;
        }
        return optimizer.equals("adamw") ? 0.01 : 0;
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
