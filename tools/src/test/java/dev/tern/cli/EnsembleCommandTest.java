package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleCommandTest {
    /** Row 0: the members pick classes 0 and 1; row 1: both pick class 2. */
    private static final float[] X = {2, 1, 0, 0, 1, 3};

    @TempDir
    Path temp;

    /** logits = x * scale, input x [batch, 3]. */
    private static Model scaling(String name, float... scale) {
        GraphBuilder g = GraphBuilder.create(name);
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        Value weights = g.initializer(Tensor.ofFloats("scale", new long[] {3}, scale));
        g.output(g.op("Mul", x, weights), "logits");
        return g.toModel(17);
    }

    @Test
    void writesAVotingEnsembleThatRunsAndReportsItAsJson() throws IOException {
        Path a = TestModels.write(scaling("a", 1, 1, 1), temp.resolve("a.onnx"));
        Path b = TestModels.write(scaling("b", 1, 3, 1), temp.resolve("b.onnx"));
        Path out = temp.resolve("out/ensemble.onnx");

        CliRun run = CliRun.of("ensemble", a.toString(), b.toString(), "--mode", "vote", "--out", out.toString(),
                "--json");

        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> report = (Map<?, ?>) MiniJson.parse(run.out());
        assertEquals("vote", report.get("mode"));
        assertEquals(List.of("x"), report.get("inputs"));
        assertEquals(List.of("probabilities", "label"), report.get("outputs"));
        Map<String, Tensor> outputs = runEnsemble(out);
        // Row 0 splits one vote each between classes 0 and 1: the higher mean probability decides.
        double[] meanRow0 = meanOfSoftmax(new float[] {2, 1, 0}, new float[] {2, 3, 0});
        long tieWinner = meanRow0[1] > meanRow0[0] ? 1 : 0;
        assertArrayEquals(new long[] {tieWinner, 2}, outputs.get("label").toLongArray());
        float[] probabilities = outputs.get("probabilities").toFloatArray();
        for (int c = 0; c < 3; c++) {
            assertEquals(meanRow0[c], probabilities[c], 1e-6, "class " + c);
        }
    }

    @Test
    void weightedTakesOneWeightPerMemberAndPrintsText() throws IOException {
        Path a = TestModels.write(scaling("a", 1, 1, 1), temp.resolve("a.onnx"));
        Path b = TestModels.write(scaling("b", 1, 3, 1), temp.resolve("b.onnx"));
        Path out = temp.resolve("weighted.onnx");

        CliRun run = CliRun.of("ensemble", a.toString(), b.toString(), "--mode", "weighted", "--weights", "1,0",
                "--out", out.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("members: " + a + ", " + b, "mode: weighted, weights [1.0, 0.0]", "inputs: x",
                "outputs: probabilities", "nodes: 7", "wrote " + out), run.outLines());
        float[] probabilities = runEnsemble(out).get("probabilities").toFloatArray();
        double[] onlyA = meanOfSoftmax(new float[] {2, 1, 0});
        for (int c = 0; c < 3; c++) {
            assertEquals(onlyA[c], probabilities[c], 1e-6, "class " + c);
        }
    }

    @Test
    void badUsageAndMembersThatDisagreeAreOneLineErrors() throws IOException {
        Path a = TestModels.write(scaling("a", 1, 1, 1), temp.resolve("a.onnx"));
        Path b = TestModels.write(scaling("b", 1, 3, 1), temp.resolve("b.onnx"));
        Path out = temp.resolve("e.onnx");

        CliRun noWeights = CliRun.of("ensemble", a.toString(), b.toString(), "--mode", "weighted", "--out", out.toString());
        assertEquals(2, noWeights.exitCode(), noWeights::toString);
        assertTrue(noWeights.err().contains("--mode weighted needs --weights"), noWeights::toString);

        CliRun wrongCount = CliRun.of("ensemble", a.toString(), b.toString(), "--mode", "weighted", "--weights", "1",
                "--out", out.toString());
        assertEquals(2, wrongCount.exitCode(), wrongCount::toString);
        assertTrue(wrongCount.err().contains("expected one weight per member (2), found 1"), wrongCount::toString);

        GraphBuilder g = GraphBuilder.create("longs");
        Value x = g.input("x", ElementType.INT64, Dim.of("batch"), Dim.of(3));
        g.output(g.node("Cast").attr("to", (long) ElementType.FLOAT.onnxCode()).inputs(x).output(), "logits");
        Path longs = TestModels.write(g.toModel(17), temp.resolve("longs.onnx"));
        CliRun disagreeing = CliRun.of("ensemble", a.toString(), longs.toString(), "--out", out.toString());
        assertEquals(1, disagreeing.exitCode(), disagreeing::toString);
        assertEquals(1, disagreeing.errLines().size(), disagreeing::toString);
        assertTrue(disagreeing.err().contains("member 1 input 'x'") && disagreeing.err().contains("element types differ"),
                disagreeing::toString);
    }

    private static Map<String, Tensor> runEnsemble(Path file) throws IOException {
        try (Runtime runtime = Runtime.create(); CompiledModel compiled = runtime.compile(OnnxImporter.read(file))) {
            return compiled.run(Map.of("x", Tensor.ofFloats("x", new long[] {2, 3}, X)));
        }
    }

    /** The mean over members of Softmax(logits), for one row of three classes. */
    private static double[] meanOfSoftmax(float[]... memberLogits) {
        double[] mean = new double[3];
        for (float[] logits : memberLogits) {
            double sum = 0;
            for (float logit : logits) {
                sum += Math.exp(logit);
            }
            for (int c = 0; c < 3; c++) {
                mean[c] += Math.exp(logits[c]) / sum / memberLogits.length;
            }
        }
        return mean;
    }
}
