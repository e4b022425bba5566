package dev.tern.cli.internal;

import dev.tern.compress.distill.Distillation;
import dev.tern.compress.distill.DistillationException;
import dev.tern.compress.distill.DistillationSettings;
import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.ir.passes.PassException;
import dev.tern.train.FeatureDataBuilder;
import dev.tern.train.FineTune;
import dev.tern.train.FineTuneData;
import dev.tern.train.Loss;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
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

    @Mixin
    private DataOptions data;

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
    private TrainingOptions training;

    @Option(names = "--out", required = true, paramLabel = "STUDENT_OUT.onnx", description = "Where to write the trained student.")
    private Path out;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DistillationSettings settings = settings();
        checkOptions();
        for (Path model : new Path[] {teacher, student}) {
            InputFiles.requireReadableFile(model);
            OutputFiles.requireNotSameFile(model, out);
        }
        Distillation distillation = distillation(ModelFiles.read(student), ModelFiles.read(teacher), settings);
        Model trainingModel = distillation.trainingModel();
        Model trained;
        FinetuneReport summary;
        try (FineTuneData inputs = data.prepare(student, trainingModel, training, this::studentLogits)) {
            FinetuneProgress progress = new FinetuneProgress(ProgressLine.forConsole(spec.commandLine().getErr()));
            FineTune recipe = recipe(distillation, inputs, progress);
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

    /** Labels for the student's logits in the training model: --student-output, or the student's first output. */
    private FeatureDataBuilder studentLogits(FeatureDataBuilder features) {
        return studentOutput == null ? features : features.output(studentOutput);
    }

    private FineTune recipe(Distillation distillation, FineTuneData inputs, FinetuneProgress progress) {
        return TrainingOptions.build(training.applyTo(distillation.fineTune(inputs.train()), inputs)
                .listener(progress));
    }

    private void checkOptions() {
        if (data.train() == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--train=DATA'");
        }
        training.check(data.validated());
        data.check();
    }
}
