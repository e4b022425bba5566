package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxImporter;
import dev.tern.train.models.ModelTemplates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneCommandTest {
    @TempDir
    Path temp;

    @Test
    void unstructuredPruningWithoutDataZeroesTheSmallestWeights() throws IOException {
        Path mlp = TestModels.write(ModelTemplates.mlp(64, new int[] {128}, 10, 1), temp.resolve("mlp.onnx"));
        Path out = temp.resolve("pruned/mlp.onnx");

        CliRun run = CliRun.of("prune", mlp.toString(), out.toString(), "--sparsity", "0.8", "--timing", "0.1", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> report = (Map<?, ?>) MiniJson.parse(run.out());
        assertEquals("unstructured, global", report.get("method"));
        Map<?, ?> after = (Map<?, ?>) report.get("after");
        assertEquals(9_610L, after.get("parameters"));
        Model pruned = OnnxImporter.read(out);
        long kernelZeros = zeros(pruned, "fc1.weight") + zeros(pruned, "fc2.weight");
        assertEquals(Math.round(0.8 * (64 * 128 + 128 * 10)), kernelZeros);
        // The template's biases start at zero and pruning leaves them alone.
        assertEquals(9_610L - kernelZeros - 138, after.get("nonZero"));
        assertTrue(((Number) after.get("medianLatencyMs")).doubleValue() > 0, run::toString);
    }

    @Test
    void structuredPruningWithDataFineTunesTheSmallerCnnAndReportsAccuracy() throws IOException {
        Path cnn = TestModels.write(ModelTemplates.cnn(1, 8, 8, 10, 1), temp.resolve("cnn.onnx"));
        Path out = temp.resolve("cnn-half.onnx");

        CliRun run = CliRun.of("prune", cnn.toString(), out.toString(), "--sparsity", "0.5", "--structured",
                "--train", Checkout.dataSet("digits.csv").toString(), "--split", "0.2", "--seed", "1", "--scale", "16",
                "--epochs", "2", "--lr", "3e-3", "--timing", "0.2");

        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertTrue(lines.get(0).contains("structured, l2 norm, sparsity 0.50"), run::toString);
        assertTrue(lines.contains("parameters                          38,282           9,802"), run::toString);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("validation accuracy")), run::toString);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("speedup ")), run::toString);
        assertTrue(lines.contains("  conv2.weight: 16 of 32 channels kept"), run::toString);
        assertTrue(lines.contains("  fc2.weight: kept whole, its channels reach a graph output"), run::toString);
        Model smaller = OnnxImporter.read(out);
        assertArrayEquals(new long[] {16, 8, 3, 3}, smaller.graph().initializers().get("conv2.weight").initializer().dims());
        assertArrayEquals(new long[] {256, 32}, smaller.graph().initializers().get("fc1.weight").initializer().dims());
    }

    @Test
    void gradualPruningWithDataReportsEachMaskUpdate() throws IOException {
        Path mlp = TestModels.write(ModelTemplates.mlp(64, new int[] {32}, 10, 1), temp.resolve("mlp.onnx"));

        CliRun run = CliRun.of("prune", mlp.toString(), temp.resolve("out.onnx").toString(), "--sparsity", "0.5",
                "--per-layer", "--train", Checkout.dataSet("digits.csv").toString(), "--scale", "16",
                "--epochs", "3", "--pruning-epochs", "2", "--timing", "0.1");

        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertTrue(lines.contains("  mask update 2 of 2: 50.0% of the layer weights pruned"), run::toString);
        assertTrue(lines.contains("  fc1.weight: 50.0% zeros (1,024 of 2,048)"), run::toString);
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("validation accuracy")),
                "no validation data, no accuracy: " + run);
    }

    @Test
    void aConsumerThatCannotLoseChannelsFailsNamingIt() throws IOException {
        GraphBuilder g = GraphBuilder.create("reshaped");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(4));
        Value hidden = g.op("MatMul", x, g.initializer(Tensor.ofFloats("w", new long[] {4, 4}, new float[16])));
        Value reshaped = g.node("Reshape").name("split_heads")
                .inputs(hidden, g.initializer(Tensor.ofLongs("shape", new long[] {3}, 0, 2, 2))).output();
        g.output(reshaped, "y");
        Path model = TestModels.write(g.toModel(17), temp.resolve("reshaped.onnx"));

        CliRun run = CliRun.of("prune", model.toString(), temp.resolve("out.onnx").toString(), "--sparsity", "0.5",
                "--structured");

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("'split_heads'") && run.err().contains("Reshape"), run::toString);
    }

    @Test
    void badOptionsAreUsageErrors() throws IOException {
        Path mlp = TestModels.write(ModelTemplates.mlp(4, new int[] {4}, 2, 1), temp.resolve("mlp.onnx"));
        String out = temp.resolve("out.onnx").toString();

        CliRun full = CliRun.of("prune", mlp.toString(), out, "--sparsity", "1");
        CliRun both = CliRun.of("prune", mlp.toString(), out, "--sparsity", "0.5", "--structured", "--per-layer");
        CliRun stages = CliRun.of("prune", mlp.toString(), out, "--sparsity", "0.5", "--pruning-epochs", "2");

        assertEquals(2, full.exitCode(), full::toString);
        assertTrue(full.err().contains("--sparsity must be at least 0 and below 1, found 1.0"), full::toString);
        assertEquals(2, both.exitCode(), both::toString);
        assertTrue(both.err().contains("--per-layer applies to unstructured pruning"), both::toString);
        assertEquals(2, stages.exitCode(), stages::toString);
        assertTrue(stages.err().contains("--pruning-epochs applies to unstructured pruning with --train"), stages::toString);
    }

    private static long zeros(Model model, String weight) {
        long zeros = 0;
        for (float value : model.graph().initializers().get(weight).initializer().toFloatArray()) {
            if (value == 0) {
                zeros++;
            }
        }
        return zeros;
    }
}
