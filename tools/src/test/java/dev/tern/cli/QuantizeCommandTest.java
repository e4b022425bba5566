package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeCommandTest {
    private static final String DIGITS = Checkout.dataSet("digits.csv").toString();

    @TempDir
    Path temporary;

    private Path digitsCnn() {
        Path cnn = temporary.resolve("cnn.onnx");
        CliRun init = CliRun.of("init-model", "cnn", "--channels", "1", "--height", "8", "--width", "8", "--classes", "10",
                "--out", cnn.toString());
        assertEquals(0, init.exitCode(), init::toString);
        return cnn;
    }

    private static long count(Model model, String opType) {
        return model.graph().nodes().stream().map(Node::opType).filter(opType::equals).count();
    }

    @Test
    void staticQuantizationCalibratesOnDigitsAndReportsTheSizes() throws IOException {
        Path cnn = digitsCnn();
        Path out = temporary.resolve("int8/cnn-int8.onnx");

        CliRun run = CliRun.of("quantize", cnn.toString(), out.toString(), "--static", "--calibration", DIGITS,
                "--scale", "16", "--per-channel", "--calibrate", "entropy", "--calibration-batches", "4", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> report = (Map<?, ?>) MiniJson.parse(run.out().trim());
        assertEquals("static QDQ, per channel", report.get("mode"));
        assertEquals(4, ((Number) report.get("quantized_nodes")).intValue());
        Map<?, ?> byOp = (Map<?, ?>) report.get("quantized_by_op");
        assertEquals(2, ((Number) byOp.get("Conv")).intValue());
        assertEquals(2, ((Number) byOp.get("MatMul")).intValue());
        assertEquals(Files.size(cnn), ((Number) report.get("bytes_before")).longValue());
        assertEquals(Files.size(out), ((Number) report.get("bytes_after")).longValue());
        assertTrue(Files.size(out) * 2 < Files.size(cnn), Files.size(out) + " bytes from " + Files.size(cnn));
        Model quantized = OnnxImporter.read(out);
        assertTrue(count(quantized, "QuantizeLinear") >= 4 && count(quantized, "DequantizeLinear") >= 8,
                "activations and weights pass through QDQ pairs");
        float[] logits = runOnce(out, "input", Tensor.ofFloats("input", new long[] {1, 1, 8, 8}, new float[64]));
        assertEquals(10, logits.length);
    }

    @Test
    void theAccuracyGuardReportsEveryLayerAndKeepsToTheBudget() throws IOException {
        Path cnn = digitsCnn();
        Path trained = temporary.resolve("trained.onnx");
        CliRun train = CliRun.of("finetune", cnn.toString(), "--train", DIGITS, "--scale", "16", "--epochs", "2",
                "--lr", "3e-3", "--seed", "1", "--threads", "1", "--out", trained.toString());
        assertEquals(0, train.exitCode(), train::toString);
        Path out = temporary.resolve("guarded.onnx");

        CliRun run = CliRun.of("quantize", trained.toString(), out.toString(), "--static", "--calibration", DIGITS,
                "--validation", DIGITS, "--budget", "1", "--scale", "16", "--calibration-batches", "8", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> report = (Map<?, ?>) MiniJson.parse(run.out().trim());
        double before = ((Number) report.get("float_accuracy")).doubleValue();
        double after = ((Number) report.get("quantized_accuracy")).doubleValue();
        assertTrue(before > 0.8, "float accuracy after 2 epochs " + before);
        assertTrue(100 * (before - after) <= 1, "lost " + 100 * (before - after) + " points");
        List<?> layers = (List<?>) report.get("layers");
        assertEquals(4, layers.size());
        Map<?, ?> first = (Map<?, ?>) layers.get(0);
        assertTrue(first.containsKey("node") && first.containsKey("error") && first.containsKey("quantized"), run.out());

        CliRun alone = CliRun.of("quantize", trained.toString(), out.toString(), "--static", "--calibration", DIGITS,
                "--budget", "1");
        assertEquals(2, alone.exitCode(), alone::toString);
        assertTrue(alone.err().contains("--validation and --budget go together, with --static"), alone.err());
    }

    @Test
    void dynamicIsTheDefaultAndPrintsText() throws IOException {
        Path model = TestModels.write(TestModels.affine(), temporary.resolve("affine.onnx"));
        Path out = temporary.resolve("affine-int8.onnx");

        CliRun run = CliRun.of("quantize", model.toString(), out.toString());

        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertEquals("quantized 1 nodes (MatMul 1), dynamic, per tensor", lines.get(0));
        assertTrue(lines.get(1).startsWith("size: "), lines.get(1));
        assertEquals("wrote " + out, lines.get(2));
        Model quantized = OnnxImporter.read(out);
        assertEquals(1, count(quantized, "MatMulInteger"));
        assertEquals(0, count(quantized, "MatMul"));
    }

    @Test
    void staticWithoutCalibrationDataIsBadUsage() throws IOException {
        Path cnn = digitsCnn();
        CliRun run = CliRun.of("quantize", cnn.toString(), temporary.resolve("out.onnx").toString(), "--static");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--static needs calibration data: --calibration DATA"), run.err());

        CliRun method = CliRun.of("quantize", cnn.toString(), temporary.resolve("out.onnx").toString(), "--static",
                "--calibration", DIGITS, "--calibrate", "median");
        assertEquals(2, method.exitCode(), method::toString);
        assertTrue(method.err().contains("--calibrate: expected minmax, percentile or entropy, found 'median'"),
                method.err());

        CliRun dynamicWithData = CliRun.of("quantize", cnn.toString(), temporary.resolve("out.onnx").toString(),
                "--calibration", DIGITS);
        assertEquals(2, dynamicWithData.exitCode(), dynamicWithData::toString);
        assertTrue(dynamicWithData.err().contains("apply to --static and --qat only"), dynamicWithData.err());
    }

    @Test
    void anExclusionMatchingNothingAndAModelWithNothingToQuantizeAreNamed() throws IOException {
        Path model = TestModels.write(TestModels.affine(), temporary.resolve("affine.onnx"));
        CliRun typo = CliRun.of("quantize", model.toString(), temporary.resolve("out.onnx").toString(),
                "--exclude", "MatMull");
        assertEquals(1, typo.exitCode(), typo::toString);
        assertTrue(typo.err().contains("excluded [MatMull] match no node's op type or name"), typo.err());

        GraphBuilder g = GraphBuilder.create("relu_only");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        g.output(g.op("Relu", x), "y");
        Path relu = TestModels.write(g.toModel(17), temporary.resolve("relu.onnx"));
        CliRun nothing = CliRun.of("quantize", relu.toString(), temporary.resolve("out.onnx").toString());
        assertEquals(1, nothing.exitCode(), nothing::toString);
        assertTrue(nothing.err().contains("'relu_only' has nothing to quantize"), nothing.err());
        assertTrue(!Files.exists(temporary.resolve("out.onnx")), "nothing is written on failure");
    }

    private static float[] runOnce(Path file, String input, Tensor value) {
        try (Runtime runtime = Runtime.create(); CompiledModel model = runtime.open(file)) {
            return model.run(Map.of(input, value)).values().iterator().next().toFloatArray();
        }
    }
}
