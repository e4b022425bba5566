package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern distill} from a CNN teacher fine-tuned on digits into an MLP student, and its refusals. */
class DistillCommandTest {
    private static final String DIGITS = Checkout.dataSet("digits.csv").toString();

    @TempDir
    Path temporary;

    @Test
    void writesTheStudentAloneTrainedFromTheTeacher() throws IOException {
        String cnn = initModel("cnn", "--channels", "1", "--height", "8", "--width", "8", "--classes", "10");
        Path teacher = temporary.resolve("teacher.onnx");
        CliRun tuned = CliRun.of("finetune", cnn, "--train", DIGITS, "--scale", "16", "--epochs", "2", "--lr", "1e-2",
                "--seed", "1", "--threads", "1", "--out", teacher.toString(), "--json");
        assertEquals(0, tuned.exitCode(), tuned::toString);
        String mlp = initModel("mlp", "--inputs", "64", "--hidden", "16", "--classes", "10");
        Path out = temporary.resolve("student/distilled.onnx");

        CliRun run = CliRun.of("distill", teacher.toString(), mlp, "--train", DIGITS, "--split", "0.2", "--scale", "16",
                "--temperature", "4", "--alpha", "0.9", "--epochs", "3", "--lr", "1e-2", "--seed", "1", "--threads", "1",
                "--out", out.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("distilling " + teacher + " into " + mlp + " at temperature 4.0, alpha 0.9"),
                run::toString);
        assertTrue(run.out().contains("best epoch"), run::toString);
        Model student = OnnxImporter.read(out);
        assertEquals(List.of("input"), student.graph().inputs().stream().map(Value::name).toList());
        assertEquals(List.of("logits"), student.graph().outputs().stream().map(Value::name).toList());
        assertFalse(student.graph().nodes().stream().anyMatch(node -> node.name().startsWith("teacher/")
                || node.opType().equals("Conv")), "the written student holds no teacher node");
        assertTrue(student.metadataProps().containsKey("tern.class_names"), student.metadataProps()::toString);
        assertTrue(accuracyOnFirstRows(student, 200) > 0.8, "a student trained 3 epochs classifies most digits");
    }

    @Test
    void temperatureAndAlphaOutsideTheirRangesAreUsageErrors() throws IOException {
        Path model = TestModels.write(classifier("x", 3, false), temporary.resolve("m.onnx"));
        CliRun cold = distill(model, model, "--temperature", "0");
        assertEquals(2, cold.exitCode(), cold::toString);
        assertTrue(cold.err().contains("temperature must be finite and above 0, found 0.0"), cold::toString);
        CliRun heavy = distill(model, model, "--alpha", "1.5");
        assertEquals(2, heavy.exitCode(), heavy::toString);
        assertTrue(heavy.err().contains("alpha must be in [0, 1], found 1.5"), heavy::toString);
    }

    @Test
    void modelsThatCannotBeDistilledTogetherAreUsageErrorsNamingTheProblem() throws IOException {
        Path student = TestModels.write(classifier("x", 3, false), temporary.resolve("student.onnx"));
        Path otherInput = TestModels.write(classifier("pixels", 3, false), temporary.resolve("other-input.onnx"));
        Path probabilities = TestModels.write(classifier("x", 3, true), temporary.resolve("probabilities.onnx"));
        Path fiveClasses = TestModels.write(classifier("x", 5, false), temporary.resolve("five.onnx"));

        CliRun input = distill(otherInput, student);
        assertEquals(2, input.exitCode(), input::toString);
        assertTrue(input.err().contains("teacher input 'pixels' is no input of the student"), input::toString);
        CliRun softmax = distill(probabilities, student);
        assertEquals(2, softmax.exitCode(), softmax::toString);
        assertTrue(softmax.err().contains("output 'scores': expected logits"), softmax::toString);
        CliRun classes = distill(fiveClasses, student);
        assertEquals(2, classes.exitCode(), classes::toString);
        assertTrue(classes.err().contains("scores 5 classes"), classes::toString);
    }

    private CliRun distill(Path teacher, Path student, String... options) {
        List<String> args = new ArrayList<>(List.of("distill", teacher.toString(), student.toString(), "--train", DIGITS,
                "--out", temporary.resolve("out.onnx").toString()));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }

    private String initModel(String kind, String... sizes) {
        return InitModels.write(temporary, 1, kind, sizes).toString();
    }

    /** {@code input [batch, 64]} through one MatMul to {@code scores [batch, classes]}, with a Softmax if asked. */
    private static Model classifier(String input, int classes, boolean softmax) {
        GraphBuilder g = GraphBuilder.create("classifier");
        Value x = g.input(input, ElementType.FLOAT, Dim.of("batch"), Dim.of(64));
        Value scores = g.op("MatMul", x, g.initializer("w", Tensor.ofFloats("w", new long[] {64, classes},
                new float[64 * classes])));
        if (softmax) {
            scores = g.node("Softmax").inputs(scores).attr("axis", 1L).output();
        }
        scores.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of("batch"), Dim.of(classes))));
        g.output(scores, "scores");
        return g.toModel(17);
    }

    /** The accuracy of {@code model} on the first {@code rows} digits, features divided by 16. */
    private static double accuracyOnFirstRows(Model model, int rows) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(DIGITS));
        float[] features = new float[rows * 64];
        long[] labels = new long[rows];
        for (int row = 0; row < rows; row++) {
            String[] cells = lines.get(row + 1).split(",");
            for (int i = 0; i < 64; i++) {
                features[row * 64 + i] = Float.parseFloat(cells[i]) / 16;
            }
            labels[row] = Long.parseLong(cells[64]);
        }
        float[] logits;
        try (Runtime runtime = Runtime.create(); CompiledModel compiled = runtime.compile(model)) {
            logits = compiled.run(Map.of("input", Tensor.ofFloats("input", new long[] {rows, 64}, features)))
                    .get("logits").toFloatArray();
        }
        int correct = 0;
        for (int row = 0; row < rows; row++) {
            int best = 0;
            for (int c = 1; c < 10; c++) {
                if (logits[row * 10 + c] > logits[row * 10 + best]) {
                    best = c;
                }
            }
            correct += best == labels[row] ? 1 : 0;
        }
        return (double) correct / rows;
    }
}
