package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.onnx.OnnxImporter;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.LabelColumn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern quantize --qat} on digits: a CNN trained by {@code tern finetune} on 80% of the
 * rows, fine-tuned with fake quantization on the same rows, and scored on the other 20% (the same
 * stratified split, by --seed). The QAT model loses at most half a point against the static
 * model calibrated alike, and both files score in plain ONNX Runtime what the command reports.
 */
class QuantizeQatCommandTest {
    private static final Path DIGITS = Checkout.dataSet("digits.csv");
    private static final double HALF_A_POINT = 0.005;

    @TempDir
    Path temporary;

    @Test
    void qatWritesAQdqModelAsAccurateAsStaticQuantization() throws IOException, OrtException {
        Path cnn = temporary.resolve("cnn.onnx");
        Path trained = temporary.resolve("trained.onnx");
        Path qat = temporary.resolve("int8/qat.onnx");
        Path statically = temporary.resolve("static.onnx");
        String[] data = {"--train", DIGITS.toString(), "--split", "0.2", "--seed", "1", "--scale", "16", "--threads", "1"};
        succeed("init-model", "cnn", "--channels", "1", "--height", "8", "--width", "8", "--classes", "10",
                "--out", cnn.toString());
        succeed(concat(new String[] {"finetune", cnn.toString(), "--epochs", "6", "--lr", "3e-3", "--out",
            trained.toString()}, data));

        CliRun run = succeed(concat(new String[] {"quantize", trained.toString(), qat.toString(), "--qat",
            "--epochs", "2", "--lr", "3e-4", "--json"}, data));
        succeed("quantize", trained.toString(), statically.toString(), "--static", "--calibration", DIGITS.toString(),
                "--scale", "16");

        Map<?, ?> report = (Map<?, ?>) MiniJson.parse(run.out().trim());
        assertEquals("quantization-aware training, static QDQ, per tensor", report.get("mode"));
        assertEquals(Map.of("Conv", 2, "MatMul", 2), intValues((Map<?, ?>) report.get("quantized_by_op")));
        double floatAccuracy = number(report, "float_accuracy");
        double staticAccuracy = number(report, "static_accuracy");
        double qatAccuracy = number(report, "quantized_accuracy");
        assertTrue(floatAccuracy >= 0.9, "the float CNN should learn digits: " + run.out());
        assertTrue(qatAccuracy >= staticAccuracy - HALF_A_POINT, run.out());
        Dataset heldOut = CsvDatasetReader.of(DIGITS, LabelColumn.named("label")).read().splitStratified(0.2, 1)
                .validation();
        assertEquals(qatAccuracy, plainOrtAccuracy(qat, heldOut), 1e-9, "the written QAT model in plain ONNX Runtime");
        assertEquals(staticAccuracy, plainOrtAccuracy(statically, heldOut), 1e-9, "tern quantize --static alike");
        Model written = OnnxImporter.read(qat);
        assertTrue(count(written, "QuantizeLinear") >= 4 && count(written, "DequantizeLinear") >= 8,
                "activations and weights pass through QDQ pairs");
    }

    @Test
    void qatOptionsAreCheckedBeforeAnythingIsRead() throws IOException {
        Path model = TestModels.write(TestModels.affine(), temporary.resolve("affine.onnx"));
        String out = temporary.resolve("out.onnx").toString();

        assertUsage(CliRun.of("quantize", model.toString(), out, "--qat"), "--qat needs labelled training data: --train DATA");
        assertUsage(CliRun.of("quantize", model.toString(), out, "--qat", "--train", DIGITS.toString(),
                "--validation", DIGITS.toString(), "--budget", "1"), "--budget applies to --static");
        assertUsage(CliRun.of("quantize", model.toString(), out, "--qat", "--train", DIGITS.toString(), "--epochs", "0"),
                "--epochs must be at least 1, found 0");
        assertUsage(CliRun.of("quantize", model.toString(), out, "--static", "--calibration", DIGITS.toString(),
                "--epochs", "3", "--lr", "0.1"), "--train/--split, --epochs, --lr apply to --qat only");
        assertUsage(CliRun.of("quantize", model.toString(), out, "--qat", "--static"), "mutually exclusive");
    }

    private static void assertUsage(CliRun run, String message) {
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains(message), run::toString);
    }

    private static CliRun succeed(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run::toString);
        return run;
    }

    private static String[] concat(String[] first, String[] second) {
        String[] both = new String[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** The share of {@code data}'s examples whose largest score, from pixels / 16, is their class. */
    private static double plainOrtAccuracy(Path model, Dataset data) throws OrtException {
        float[][] scores;
        try (PlainOrt ort = PlainOrt.open(model)) {
            scores = ort.run(data, 16, 1, 8, 8);
        }
        int correct = 0;
        for (int i = 0; i < scores.length; i++) {
            int best = 0;
            for (int c = 1; c < scores[i].length; c++) {
                best = scores[i][c] > scores[i][best] ? c : best;
            }
            correct += best == data.classLabel(i) ? 1 : 0;
        }
        return (double) correct / scores.length;
    }

    private static double number(Map<?, ?> report, String key) {
        return ((Number) report.get(key)).doubleValue();
    }

    private static Map<String, Integer> intValues(Map<?, ?> map) {
        Map<String, Integer> values = new LinkedHashMap<>();
        map.forEach((key, value) -> values.put((String) key, ((Number) value).intValue()));
        return values;
    }

    private static long count(Model model, String opType) {
        return model.graph().nodes().stream().map(Node::opType).filter(opType::equals).count();
    }
}
