package dev.tern.cli.internal;

import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.train.FineTune;
import dev.tern.train.FineTuneData;
import dev.tern.train.FineTuneTask;
import dev.tern.train.GanFineTune;
import dev.tern.train.TrainingException;
import dev.tern.train.UnsupervisedObjective;
import dev.tern.train.data.AugmentationPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * {@code tern finetune MODEL --train DATA --out TUNED.onnx ...}: trains a model's weights and
 * exports it. The command checks its options, hands them to the library ({@link FineTuneData}
 * and {@link FineTune}, or {@link GanFineTune}), writes the models it returns and prints the
 * report.
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

    @Mixin
    private TaskOptions task;

    @Mixin
    private TextOptions text;

    @Mixin
    private TrainingOptions training;

    @Mixin
    private LossOption loss;

    @Mixin
    private RecipeOptions recipeOptions;

    @Mixin
    private LoraOptions lora;

    @Option(names = "--augment", paramLabel = "LIST",
            description = "Training-image augmentations, comma-separated: shift=PIXELS, flip, noise=STDDEV, "
                    + "rotate=DEGREES, scale=FRACTION (factors 1-F to 1+F), shear=DEGREES, erase=PROBABILITY (a random "
                    + "rectangle set to 0), mixup=ALPHA (blends each batch and its labels with Beta(ALPHA, ALPHA) weights).")
    private String augment;

    @Mixin
    private ReportOption report;

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
        InputFiles.requireReadableFile(model);
        List<Path> outputs = new ArrayList<>(task.outputs());
        outputs.addAll(lora.outputs());
        outputs.add(out);
        outputs.forEach(output -> OutputFiles.requireNotSameFile(model, output));
        Model original = ModelFiles.read(model);
        Optional<FineTuneTask> chosenTask = task.chosen(model, original);
        if (chosenTask.orElse(null) == FineTuneTask.GAN) {
            return trainGan(original);
        }
        task.check(chosenTask, !loss.crossEntropy() || text.given());
        Map<Path, Model> written = new LinkedHashMap<>();
        FinetuneReport summary;
        try (FineTuneData inputs = text.given() ? textData(original) : featureData(original, chosenTask)) {
            FinetuneProgress progress = new FinetuneProgress(ProgressLine.forConsole(spec.commandLine().getErr()));
            FineTune recipe = recipe(inputs, progress);
            FineTune.Result result;
            try (Runtime runtime = Runtime.create()) {
                result = recipe.run(runtime);
            } finally {
                progress.finish();
            }
            written.put(out, result.model());
            if (task.encoderOut() != null) {
                written.put(task.encoderOut(), result.part(UnsupervisedObjective.ENCODER));
            }
            if (task.decoderOut() != null) {
                written.put(task.decoderOut(), result.sampler());
            }
            result.lora().ifPresent(lora::write);
            summary = new FinetuneReport(model, out, result.weights(), result.trainedParameters(),
                    inputs.trainExamples(), inputs.export().classNames(), inputs.reportedLoss(), result.outcome());
        }
        writeAll(written);
        report.write(summary.outcome().history(), model);
        print(summary.json(), summary::printText);
        return ExitCode.OK;
    }

    /** Trains a GAN's two networks by turns through {@link GanFineTune} and writes the generator (and discriminator). */
    private Integer trainGan(Model original) {
        checkGanOptions();
        FinetuneProgress progress = new FinetuneProgress(ProgressLine.forConsole(spec.commandLine().getErr()));
        GanFineTune gan = GanFineTune.builder(original, data.train())
                .layout(data.table().layout())
                .scaling(data.scaling().method())
                .batch(training.batch())
                .seed(training.seed())
                .optimizer(training.optimizer())
                .schedule(training.schedule(false))
                .epochs(training.epochs())
                .listener(progress)
                .sessionConfig(training.sessionConfig())
                .build();
        GanFineTune.Result trained;
        try (Runtime runtime = Runtime.create()) {
            trained = LibraryRefusals.asUsage(model, () -> gan.run(runtime));
        } finally {
            progress.finish();
        }
        Map<Path, Model> written = new LinkedHashMap<>();
        written.put(out, trained.generator());
        if (task.discriminatorOut() != null) {
            written.put(task.discriminatorOut(), trained.discriminator());
        }
        writeAll(written);
        report.write(trained.training().history(), model);
        GanReport summary = new GanReport(model, out, task.discriminatorOut(), trained.examples(), trained.training());
        print(summary.json(), summary::printText);
        return ExitCode.OK;
    }

    /** Refuses the options a GAN's training has no use for, naming them. */
    private void checkGanOptions() {
        List<String> unused = new ArrayList<>();
        addIf(unused, data.validated(), "--validation/--split");
        addIf(unused, !loss.crossEntropy(), "--loss");
        addIf(unused, output != null, "--output");
        addIf(unused, task.partsGiven(), "--encoder-out/--decoder-out");
        addIf(unused, text.given(), "--text-column");
        unused.addAll(recipeOptions.givenOutsideGan());
        addIf(unused, lora.enabled(), "--lora");
        addIf(unused, augment != null, "--augment");
        addIf(unused, data.featureShape() != null, "--feature-shape");
        addIf(unused, training.keepGiven(), "--keep");
        // Reduce-on-plateau follows epoch results that no trainer feeds it here.
        addIf(unused, training.scheduleSpec().startsWith("plateau"), "--schedule plateau");
        if (!unused.isEmpty()) {
            throw CliFailure.usage("--task gan trains on the examples alone, every epoch kept: "
                    + String.join(", ", unused) + " do not apply");
        }
        if (data.scaling().standardizes()) {
            throw CliFailure.usage("--task gan generates values in [0, 1]: scale the data with --scale or --min-max, "
                    + "not --standardize");
        }
    }

    private static void addIf(List<String> options, boolean given, String option) {
        if (given) {
            options.add(option);
        }
    }

    /** Numeric features from a CSV file or an image folder, fed to the model's first input, for the chosen task. */
    private FineTuneData featureData(Model original, Optional<FineTuneTask> chosenTask) {
        AugmentationPlan augmentations = augment == null ? AugmentationPlan.NONE : AugmentationList.parse(augment);
        return data.prepare(model, original, training, features -> {
            chosenTask.ifPresent(features::task);
            if (output != null) {
                features.output(output);
            }
            return features.loss(loss.function()).augmentations(augmentations);
        });
    }

    /** Labelled texts for a new classification head on the encoder. */
    private FineTuneData textData(Model encoder) {
        return data.prepareText(model, encoder, text.tokenizer(), training,
                builder -> text.applyTo(builder, data.table().labelColumnName(), output));
    }

    private void checkOptions() {
        if (data.train() == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--train=DATA'");
        }
        training.check(data.validated());
        loss.function();
        recipeOptions.check(data.validated());
        data.check();
        if (augment != null) {
            AugmentationList.parse(augment);
        }
        text.check(loss.name(), augment != null || data.featureShape() != null || data.scaling().given()
                || data.table().describesLayout());
        lora.check();
    }

    /**
     * The recipe for {@code inputs} with the options' weights scopes, schedule, trainer
     * settings and the parts to write.
     *
     * @throws CliFailure (usage) if a --trainable or --freeze scope matches no weight, or none is left
     */
    private FineTune recipe(FineTuneData inputs, FinetuneProgress progress) {
        FineTune.Builder builder = recipeOptions.applyTo(training.applyTo(FineTune.builder(inputs), inputs))
                .listener(progress);
        if (lora.enabled()) {
            builder.lora(lora.settings(training.seed()));
        }
        try {
            inputs.objective().ifPresent(objective -> objective.exportParts(builder, inputs.model(),
                    task.encoderOut() != null, task.decoderOut() != null));
            return builder.build();
        } catch (TrainingException e) {
            throw CliFailure.usage(e.getMessage(), e);
        }
    }

    /** Writes each model to its file, atomically, creating missing folders. */
    private static void writeAll(Map<Path, Model> written) {
        written.forEach((file, model) -> {
            OutputFiles.createParentDirectories(file);
            ModelFiles.writeAtomically(model, file);
        });
    }

    /** Prints {@code json} with --json, else the text {@code printText} writes. */
    private void print(String jsonReport, Consumer<PrintWriter> printText) {
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(jsonReport);
        } else {
            printText.accept(stdout);
        }
        stdout.flush();
    }
}
