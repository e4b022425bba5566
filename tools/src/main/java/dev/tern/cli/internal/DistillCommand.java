package dev.tern.cli.internal;

import dev.tern.compress.distill.Distillation;
import dev.tern.compress.distill.DistillationException;
import dev.tern.compress.distill.DistillationSettings;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.ir.passes.PassException;
import dev.tern.train.FineTune;
import dev.tern.train.KeptWeights;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
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
 * {@code tern distill TEACHER STUDENT --train DATA --out OUT ...}: trains a student classifier on
 * the labels and on a frozen teacher's softened scores, both in one ONNX Runtime run per step,
 * and writes the student alone. Data, scaling and the training recipe work as in
 * {@code tern finetune}; the library's {@link Distillation} does the merging and the loss.
 */
@Command(name = "distill",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Train a student classifier from a teacher: knowledge distillation.",
            "The loss is alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * CE(student, "
                    + "labels). The teacher is frozen and merged into the student's training graph under the prefix "
                    + "teacher/, reading the student's inputs by name (through a Reshape when only its layout differs, "
                    + "as a CNN's 1x8x8 beside an MLP's 64). Both models' logits outputs (the first, or --teacher-output "
                    + "and --student-output) are float [batch, classes], not probabilities, over the same classes. "
                    + "DATA is read as by tern finetune (a CSV file with a label column, or an image folder) and feeds "
                    + "the student's first input. OUT is the student alone, with any --standardize or --min-max scaling "
                    + "as its first nodes and the class names in its metadata."})
public final class DistillCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TEACHER", description = "The trained teacher .onnx model.")
    private Path teacher;

    @Parameters(index = "1", paramLabel = "STUDENT", description = "The student .onnx model to train.")
    private Path student;

    @Option(names = "--train", required = true, paramLabel = "DATA",
            description = "Training data: a .csv file or an image folder.")
    private Path train;

    @ArgGroup(exclusive = true)
    private HeldOut heldOut;

    @Option(names = "--temperature", paramLabel = "T", description = "Softens both models' scores (default: 4).")
    private double temperature = DistillationSettings.DEFAULTS.temperature();

    @Option(names = "--alpha", paramLabel = "A",
            description = "The weight of the teacher's term, in [0, 1]; the labels' term gets 1 - A (default: 0.9).")
    private double alpha = DistillationSettings.DEFAULTS.alpha();

    @Option(names = "--teacher-output", paramLabel = "NAME", description = "The teacher's logits output (default: the first).")
    private String teacherOutput;

    @Option(names = "--student-output", paramLabel = "NAME", description = "The student's logits output (default: the first).")
    private String studentOutput;

    @Mixin
    private CsvTableOptions table;

    @ArgGroup(exclusive = true)
    private ScalingOptions scaling;

    @Option(names = "--feature-shape", paramLabel = "DIMS",
            description = "Shape of one example, as 64 (default: the student's first input without its batch dimension).")
    private String featureShape;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, adam or adamw (the default).")
    private String optimizer = "adamw";

    @Option(names = "--lr", paramLabel = "RATE", description = "The peak learning rate (default: 1e-3).")
    private double learningRate = 1e-3;

    @Option(names = "--weight-decay", paramLabel = "W",
            description = "AdamW's decoupled weight decay, or SGD's and Adam's L2 term (default: 0.01 for adamw, else 0).")
    private Double weightDecay;

    @Option(names = "--schedule", paramLabel = "NAME[:KEY=VALUE,...]",
            description = "The learning-rate schedule, as for tern finetune: constant (the default), step, cosine, "
                    + "warmup-cosine, exponential, linear, one-cycle or plateau.")
    private String schedule = "constant";

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data (default: 10).")
    private int epochs = 10;

    @Option(names = "--batch", paramLabel = "N", description = "Examples per step (default: 32).")
    private int batch = 32;

    @Option(names = "--keep", paramLabel = "WHICH",
            description = "Write the student of the best epoch (lowest validation loss; the default with validation "
                    + "data) or of the last epoch: best or last.")
    private String keep;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the split and the shuffling (default: 42).")
    private long seed = 42;

    @Option(names = "--threads", paramLabel = "N", description = "ONNX Runtime's threads inside one operator; 0 (the default) lets it choose.")
    private int threads;

    @Option(names = "--out", required = true, paramLabel = "STUDENT_OUT.onnx", description = "Where to write the trained student.")
    private Path out;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    /** Validation data: a separate file or a fraction of the training data. */
    static final class HeldOut {
        @Option(names = "--validation", paramLabel = "DATA", description = "Validation data, in the training data's format.")
        private Path data;

        @Option(names = "--split", paramLabel = "FRACTION",
                description = "Hold out this fraction of the training data (stratified by class) for validation.")
        private Double fraction;
    }

    @Override
    public Integer call() throws Exception {
        DistillationSettings settings = settings();
        checkOptions();
        Optimizer chosenOptimizer = TrainingRecipe.optimizer(optimizer, 0, weightDecay());
        LongFunction<LearningRateSchedule> chosenSchedule = TrainingRecipe.schedule(schedule, learningRate, epochs,
                heldOut != null);
        for (Path model : new Path[] {teacher, student}) {
            InputFiles.requireReadableFile(model);
            OutputFiles.requireNotSameFile(model, out);
        }
        Distillation distillation = distillation(ModelFiles.read(student), ModelFiles.read(teacher), settings);
        Model trainingModel = distillation.trainingModel();
        Value logits = logitsOutput(trainingModel);
        TrainingTarget target = TrainingTarget.of(Loss.crossEntropy(), "ce", student, logits, false);
        FeatureInputs features = new FeatureInputs(student, table, scalingOptions(), featureShape, AugmentationPlan.NONE,
                batch, seed);
        Model trained;
        FinetuneReport summary;
        try (TrainingInputs inputs = features.prepare(trainingModel, logits, target, train,
                heldOut == null ? null : heldOut.data, heldOut == null ? null : heldOut.fraction)) {
            FinetuneProgress progress = new FinetuneProgress(ProgressLine.forConsole(spec.commandLine().getErr()));
            FineTune recipe = recipe(distillation, inputs, chosenOptimizer, chosenSchedule, progress);
            FineTune.Result result;
            try (Runtime runtime = Runtime.create()) {
                result = recipe.run(runtime);
            } finally {
                progress.finish();
            }
            trained = inputs.export().applyTo(distillation.student(result));
            summary = new FinetuneReport(student, out, result.weights(), result.trainedParameters(),
                    inputs.trainExamples(), inputs.export().classNames(), Loss.crossEntropy(), result.outcome());
        }
        OutputFiles.createParentDirectories(out);
        ModelFiles.writeAtomically(trained, out);
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(summary.json());
        } else {
            stdout.println(String.format(Locale.ROOT, "distilling %s into %s at temperature %s, alpha %s",
                    teacher, student, temperature, alpha));
            summary.printText(stdout);
        }
        stdout.flush();
        return ExitCode.OK;
    }

    /** The settings of --temperature and --alpha, whose refusal names which is wrong. */
    private DistillationSettings settings() {
        try {
            return new DistillationSettings(temperature, alpha);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** @throws CliFailure (usage) naming the model files if they cannot be distilled together */
    private Distillation distillation(Model studentModel, Model teacherModel, DistillationSettings settings) {
        try {
            return Distillation.withTeacher(studentModel, studentOutput, teacherModel, teacherOutput, settings);
        } catch (DistillationException | PassException e) {
            throw CliFailure.usage("cannot distill " + teacher + " into " + student + ": " + OneLine.of(e), e);
        }
    }

    /** The student's logits in the training model: --student-output, or the student's first output. */
    private Value logitsOutput(Model trainingModel) {
        String name = studentOutput != null ? studentOutput : trainingModel.graph().outputs().get(0).name();
        return trainingModel.graph().outputs().stream().filter(value -> value.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private FineTune recipe(Distillation distillation, TrainingInputs inputs, Optimizer chosenOptimizer,
                            LongFunction<LearningRateSchedule> chosenSchedule, FinetuneProgress progress) {
        FineTune.Builder builder = distillation.fineTune(inputs.train())
                .optimizer(chosenOptimizer)
                .schedule(chosenSchedule)
                .epochs(epochs)
                .listener(progress)
                .sessionConfig(SessionConfig.builder().intraOpThreads(threads).build());
        if (inputs.validation() != null) {
            builder.validation(inputs.validation());
        }
        if (keep != null) {
            builder.keep(keep.equals("best") ? KeptWeights.BEST_EPOCH : KeptWeights.LAST_EPOCH);
        }
        try {
            return builder.build();
        } catch (TrainingException e) {
            throw CliFailure.usage(e.getMessage(), e);
        }
    }

    private void checkOptions() {
        requireAtLeast("--epochs", epochs, 1);
        requireAtLeast("--batch", batch, 1);
        requireAtLeast("--threads", threads, 0);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new ParameterException(spec.commandLine(), "--lr must be above 0, found " + learningRate);
        }
        scalingOptions().check();
        table.check();
        if (keep != null && !keep.equals("best") && !keep.equals("last")) {
            throw new ParameterException(spec.commandLine(), "--keep: expected best or last, found '" + keep + "'");
        }
        if ("best".equals(keep) && heldOut == null) {
            throw new ParameterException(spec.commandLine(), "--keep best needs validation data: --validation or --split");
        }
    }

    private void requireAtLeast(String option, int value, int minimum) {
        if (value < minimum) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + minimum + ", found " + value);
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
}
