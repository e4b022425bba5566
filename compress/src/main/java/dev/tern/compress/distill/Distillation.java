package dev.tern.compress.distill;

import dev.tern.compress.distill.internal.LogitsOutput;
import dev.tern.compress.distill.internal.SoftTargetLoss;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.train.FineTune;
import dev.tern.train.Loss;
import dev.tern.train.LossTerms;
import dev.tern.train.data.BatchSource;
import java.util.List;
import java.util.Objects;

/**
 * Knowledge distillation of a student classifier from a teacher, trained with the loss of
 * {@link DistillationSettings}. Either the teacher joins the student's training graph
 * ({@link #withTeacher}, through {@link TeacherMerge}: one ONNX Runtime run computes the
 * teacher's logits and the student's step together), or its logits were computed before and
 * every batch feeds them as the column {@value #TEACHER_LOGITS_COLUMN} ({@link #fromTeacherLogits}).
 * Either way the student is exported alone.
 *
 * <pre>{@code
 * Distillation distillation = Distillation.withTeacher(student, teacher, new DistillationSettings(4, 0.9));
 * FineTune.Result result = distillation.fineTune(train.feeding("input"))
 *         .optimizer(Optimizer.adam()).schedule(steps -> LearningRateSchedule.cosine(1e-2, steps, 0))
 *         .epochs(10).build().run(runtime);
 * Model trained = distillation.student(result);
 * }</pre>
 *
 * <p>Logits are float class scores {@code [batch, classes]}, not a Softmax's output; teacher
 * and student must score the same number of classes. The loss has two terms, reported apart:
 * {@value #LABELS_TERM} (cross-entropy against the labels, first, so accuracy is measured on it)
 * and {@value #DISTILLATION_TERM}. Immutable.
 */
public final class Distillation {
    /** The batch column that feeds precomputed teacher logits to {@link #fromTeacherLogits}. */
    public static final String TEACHER_LOGITS_COLUMN = "teacher_logits";
    /** The name of the cross-entropy term against the labels. */
    public static final String LABELS_TERM = "labels";
    /** The name of the term that follows the teacher. */
    public static final String DISTILLATION_TERM = "distillation";
    /** The name of the part {@link #fineTune} exports: the student alone. */
    public static final String STUDENT_PART = "student";

    private final Model trainingModel;
    private final String studentLogits;
    private final String teacherLogits;
    private final List<String> studentOutputs;
    private final long classCount;
    private final DistillationSettings settings;

    private Distillation(Model trainingModel, Model student, Value studentLogits, String teacherLogits,
                         DistillationSettings settings) {
        this.trainingModel = trainingModel;
        this.studentLogits = studentLogits.name();
        this.teacherLogits = teacherLogits;
        this.studentOutputs = student.graph().outputs().stream().map(Value::name).toList();
        this.classCount = LogitsOutput.classCount(studentLogits);
        this.settings = settings;
    }

    /** {@link #withTeacher(Model, String, Model, String, DistillationSettings)} on each model's first output. */
    public static Distillation withTeacher(Model student, Model teacher, DistillationSettings settings) {
        return withTeacher(student, null, teacher, null, settings);
    }

    /**
     * Distillation with the teacher merged into the student's training graph. Neither model is
     * changed; the teacher's weights are shared, not copied.
     *
     * @param studentLogits the student output holding its logits, or null for its first output
     * @param teacherLogits the teacher output holding its logits, or null for its first output
     * @throws DistillationException naming the model and output if an output does not hold
     *     logits or the class counts differ
     * @throws dev.tern.ir.passes.PassException from pass 'teacher-merge', its cause a
     *     {@link DistillationException}, if a teacher input is no student input or disagrees with
     *     it in type (and no Reshape fits), the opsets differ, or the teacher holds functions or
     *     subgraphs
     */
    public static Distillation withTeacher(Model student, String studentLogits, Model teacher, String teacherLogits,
                                           DistillationSettings settings) {
        Objects.requireNonNull(settings, "settings");
        Value studentOutput = LogitsOutput.find("student", student, studentLogits);
        Value teacherOutput = LogitsOutput.find("teacher", teacher, teacherLogits);
        long studentClasses = LogitsOutput.classCount(studentOutput);
        long teacherClasses = LogitsOutput.classCount(teacherOutput);
        if (studentClasses != teacherClasses) {
            throw new DistillationException("teacher output '" + teacherOutput.name() + "' scores " + teacherClasses
                    + " classes, student output '" + studentOutput.name() + "' " + studentClasses
                    + "; both must score the same classes");
        }
        TeacherMerge merge = new TeacherMerge(teacher, teacherOutput.name());
        Model merged = merge.apply(student).model();
        return new Distillation(merged, student, studentOutput, merge.mergedLogits(), settings);
    }

    /**
     * Distillation from teacher logits computed beforehand: every batch feeds them, as float
     * {@code [batch, classes]}, in the column {@value #TEACHER_LOGITS_COLUMN} (a
     * {@link dev.tern.train.data.Feed} input of that name) beside the model's inputs, and its
     * labels as usual. The student is not changed.
     *
     * @param studentLogits the student output holding its logits, or null for its first output
     * @throws DistillationException if that output does not hold logits
     */
    public static Distillation fromTeacherLogits(Model student, String studentLogits, DistillationSettings settings) {
        Objects.requireNonNull(settings, "settings");
        Value studentOutput = LogitsOutput.find("student", student, studentLogits);
        return new Distillation(student, student, studentOutput, TEACHER_LOGITS_COLUMN, settings);
    }

    /** The model to train: the student with the teacher merged in, or the student itself. */
    public Model trainingModel() {
        return trainingModel;
    }

    /** The value the distillation term reads as the teacher's logits: a merged output, or {@value #TEACHER_LOGITS_COLUMN}. */
    public String teacherLogits() {
        return teacherLogits;
    }

    /**
     * The loss: {@value #LABELS_TERM}, cross-entropy of the student's logits against the int64
     * class indices {@code labels} weighted {@code 1 - alpha}, plus {@value #DISTILLATION_TERM},
     * the softened KL divergence from the teacher times {@code T^2}, weighted {@code alpha}.
     */
    public LossTerms loss(String labels) {
        LossTerms hard = Loss.crossEntropy(studentLogits, labels).named(LABELS_TERM).times(1 - settings.alpha());
        LossTerms soft = Loss.term(SoftTargetLoss.of(classCount, settings.temperature()), studentLogits, teacherLogits)
                .named(DISTILLATION_TERM).times(settings.alpha());
        return hard.plus(soft);
    }

    /**
     * A fine-tuning recipe over {@link #trainingModel()} with {@link #loss} against the batches'
     * labels (input {@code "target"}), exporting the student alone as part {@value #STUDENT_PART};
     * the caller adds the optimizer, the schedule and the rest. Leave its loss as it is.
     */
    public FineTune.Builder fineTune(BatchSource train) {
        return FineTune.builder(trainingModel, train)
                .loss(loss("target"))
                .exportPart(STUDENT_PART, List.of(), studentOutputs);
    }

    /** The trained student of a {@link #fineTune} run: the student's inputs, outputs and nodes with the trained weights. */
    public Model student(FineTune.Result result) {
        return result.part(STUDENT_PART);
    }
}
