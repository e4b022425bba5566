package dev.tern.compress.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.ValueType;
import dev.tern.ir.passes.PassException;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.Evaluation;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingSession;
import dev.tern.train.WeightSelection;
import dev.tern.train.models.ModelTemplates;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The merged training model of a CNN teacher and an MLP student, run on ONNX Runtime. */
class DistillationTest {
    private static final int ROWS = 5;
    private static Runtime runtime;

    @BeforeAll
    static void openRuntime() {
        runtime = Runtime.create();
    }

    @AfterAll
    static void closeRuntime() {
        runtime.close();
    }

    @Test
    void theMergedTeacherComputesWhatTheTeacherAloneComputes() {
        Model teacher = ModelTemplates.cnn(1, 8, 8, 10, 3);
        Model student = ModelTemplates.mlp(64, new int[] {16}, 10, 4);
        Distillation distillation = Distillation.withTeacher(student, teacher, DistillationSettings.DEFAULTS);
        float[] pixels = randomPixels();

        Map<String, Tensor> merged = run(distillation.trainingModel(),
                Tensor.ofFloats(ModelTemplates.INPUT, new long[] {ROWS, 64}, pixels));
        Map<String, Tensor> alone = run(teacher, Tensor.ofFloats(ModelTemplates.INPUT, new long[] {ROWS, 1, 8, 8}, pixels));
        Map<String, Tensor> studentAlone = run(student, Tensor.ofFloats(ModelTemplates.INPUT, new long[] {ROWS, 64}, pixels));

        assertEquals("teacher/logits", distillation.teacherLogits());
        assertArrayEquals(alone.get(ModelTemplates.LOGITS).toFloatArray(), merged.get("teacher/logits").toFloatArray(),
                1e-5f);
        assertArrayEquals(studentAlone.get(ModelTemplates.LOGITS).toFloatArray(),
                merged.get(ModelTemplates.LOGITS).toFloatArray(), 1e-6f);
    }

    @Test
    void theTeachersWeightsAreConstantsSoNoTrainerPicksThem() {
        Model student = ModelTemplates.mlp(64, new int[] {16}, 10, 4);
        Distillation distillation = Distillation.withTeacher(student, ModelTemplates.cnn(1, 8, 8, 10, 3),
                DistillationSettings.DEFAULTS);
        Model merged = distillation.trainingModel();
        assertEquals(WeightSelection.all(student), WeightSelection.all(merged));
        assertTrue(merged.graph().nodes().stream().anyMatch(node -> node.opType().equals("Constant")
                && node.output(0).name().startsWith(TeacherMerge.PREFIX)));
        assertEquals(List.of(ModelTemplates.INPUT), merged.graph().inputs().stream().map(Value::name).toList());
    }

    @Test
    void theLossIsTheWeightedSumOfCrossEntropyAndTheSoftenedKlTimesTSquared() {
        Model student = ModelTemplates.mlp(4, new int[] {5}, 3, 1);
        DistillationSettings settings = new DistillationSettings(2.5, 0.7);
        Distillation distillation = Distillation.fromTeacherLogits(student, null, settings);
        Tensor input = Tensor.ofFloats(ModelTemplates.INPUT, new long[] {2, 4}, 0.5f, -1f, 2f, 0.1f, 1f, 1f, -0.3f, 0.7f);
        float[] teacher = {2f, -1f, 0.5f, -0.2f, 1.5f, 3f};
        long[] labels = {0, 2};
        float[] logits = run(student, input).get(ModelTemplates.LOGITS).toFloatArray();

        Evaluation evaluation;
        try (TrainingSession session = TrainingSession.builder(distillation.trainingModel())
                .loss(distillation.loss("target")).trainable(WeightSelection.all(student))
                .optimizer(Optimizer.sgd()).schedule(LearningRateSchedule.constant(1e-3)).build(runtime)) {
            evaluation = session.evaluate(Map.of(ModelTemplates.INPUT, input,
                    "target", Tensor.ofLongs("target", new long[] {2}, labels),
                    Distillation.TEACHER_LOGITS_COLUMN, Tensor.ofFloats(Distillation.TEACHER_LOGITS_COLUMN,
                            new long[] {2, 3}, teacher)));
        }
        double crossEntropy = 0;
        double kl = 0;
        double t = settings.temperature();
        for (int row = 0; row < 2; row++) {
            double[] studentLog = logSoftmax(logits, row, 1);
            crossEntropy -= studentLog[(int) labels[row]] / 2;
            double[] softStudentLog = logSoftmax(logits, row, t);
            double[] softTeacherLog = logSoftmax(teacher, row, t);
            for (int c = 0; c < 3; c++) {
                kl += Math.exp(softTeacherLog[c]) * (softTeacherLog[c] - softStudentLog[c]) / 2;
            }
        }
        double expected = (1 - settings.alpha()) * crossEntropy + settings.alpha() * t * t * kl;
        assertEquals(expected, evaluation.loss(), 1e-5);
        assertEquals(List.of(Distillation.LABELS_TERM, Distillation.DISTILLATION_TERM),
                List.copyOf(evaluation.terms().keySet()));
    }

    @Test
    void aTeacherReadingAnInputTheStudentLacksIsRefusedNamingBoth() {
        PassException e = assertThrows(PassException.class, () -> Distillation.withTeacher(
                classifier("x", 4, 3, false), classifier("pixels", 4, 3, false), DistillationSettings.DEFAULTS));
        assertInstanceOf(DistillationException.class, e.getCause());
        assertTrue(e.getMessage().contains("teacher input 'pixels'") && e.getMessage().contains("[x]"), e.getMessage());
    }

    @Test
    void aTeacherInputOfAnotherTypeIsRefusedNamingTheInput() {
        PassException e = assertThrows(PassException.class, () -> Distillation.withTeacher(
                classifier("x", 4, 3, false), classifier("x", 5, 3, false), DistillationSettings.DEFAULTS));
        assertInstanceOf(DistillationException.class, e.getCause());
        assertTrue(e.getMessage().contains("pass 'teacher-merge'") && e.getMessage().contains("teacher input 'x'")
                && e.getMessage().contains("dimension 1 differs"), e.getMessage());
    }

    @Test
    void probabilitiesInsteadOfLogitsAreRefusedNamingTheSoftmax() {
        DistillationException teacher = assertThrows(DistillationException.class, () -> Distillation.withTeacher(
                classifier("x", 4, 3, false), classifier("x", 4, 3, true), DistillationSettings.DEFAULTS));
        assertTrue(teacher.getMessage().startsWith("teacher (graph 'classifier') output 'scores': expected logits")
                && teacher.getMessage().contains("Softmax"), teacher.getMessage());
        DistillationException student = assertThrows(DistillationException.class,
                () -> Distillation.fromTeacherLogits(classifier("x", 4, 3, true), null, DistillationSettings.DEFAULTS));
        assertTrue(student.getMessage().startsWith("student"), student.getMessage());
        DistillationException missing = assertThrows(DistillationException.class,
                () -> Distillation.fromTeacherLogits(classifier("x", 4, 3, false), "logits", DistillationSettings.DEFAULTS));
        assertTrue(missing.getMessage().contains("no output 'logits'") && missing.getMessage().contains("[scores]"),
                missing.getMessage());
    }

    @Test
    void teacherAndStudentMustScoreTheSameClasses() {
        DistillationException e = assertThrows(DistillationException.class, () -> Distillation.withTeacher(
                classifier("x", 4, 3, false), classifier("x", 4, 5, false), DistillationSettings.DEFAULTS));
        assertTrue(e.getMessage().contains("scores 5 classes") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void temperatureAndAlphaAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new DistillationSettings(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new DistillationSettings(-1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new DistillationSettings(Double.NaN, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new DistillationSettings(2, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new DistillationSettings(2, 1.5));
        assertEquals(1.0, new DistillationSettings(2, 1).alpha());
    }

    /** {@code input [batch, width]} through one MatMul to {@code scores [batch, classes]}, with a Softmax if asked. */
    private static Model classifier(String input, int width, int classes, boolean softmax) {
        GraphBuilder g = GraphBuilder.create("classifier");
        Value x = g.input(input, ElementType.FLOAT, Dim.of("batch"), Dim.of(width));
        Value scores = g.op("MatMul", x, g.initializer("w", Tensor.ofFloats("w", new long[] {width, classes},
                new float[width * classes])));
        if (softmax) {
            scores = g.node("Softmax").inputs(scores).attr("axis", 1L).output();
        }
        scores.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of("batch"), Dim.of(classes))));
        g.output(scores, "scores");
        return g.toModel(17);
    }

    private static double[] logSoftmax(float[] rows, int row, double temperature) {
        double[] scaled = new double[3];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 3; c++) {
            scaled[c] = rows[row * 3 + c] / temperature;
            max = Math.max(max, scaled[c]);
        }
        double sum = 0;
        for (double value : scaled) {
            sum += Math.exp(value - max);
        }
        double logSum = max + Math.log(sum);
        for (int c = 0; c < 3; c++) {
            scaled[c] -= logSum;
        }
        return scaled;
    }

    private static float[] randomPixels() {
        Random random = new Random(7);
        float[] pixels = new float[ROWS * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        return pixels;
    }

    private static Map<String, Tensor> run(Model model, Tensor input) {
        try (CompiledModel compiled = runtime.compile(model)) {
            return compiled.run(Map.of(ModelTemplates.INPUT, input));
        }
    }
}
