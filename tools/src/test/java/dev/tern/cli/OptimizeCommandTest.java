package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.NpyFormat;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.StandardPasses;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizeCommandTest {
    @TempDir
    Path temp;

    /**
     * y = Identity(x * Reshape(w, Constant([1, 3]))) + Neg(b), plus a dead Exp branch: 7 nodes, of which
     * only the Mul and the Add need the input.
     */
    private static Model withDeadAndFoldableNodes() {
        GraphBuilder g = GraphBuilder.create("foldable");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {3}, 1, 2, 3));
        Value b = g.initializer(Tensor.ofFloats("b", new long[] {3}, 0.5f, -0.5f, 1));
        Value copyOfB = g.initializer(Tensor.ofFloats("b_copy", new long[] {3}, 0.5f, -0.5f, 1));
        Value shape = g.node("Constant").attr(Attribute.ofInts("value_ints", 1, 3)).output("shape");
        Value row = g.op("Reshape", w, shape);
        Value product = g.op("Identity", g.op("Mul", x, row));
        g.op("Exp", g.op("Add", x, copyOfB));
        g.output(g.op("Add", product, g.op("Neg", b)), "y");
        return g.toModel(21);
    }

    @Test
    void removesDeadAndConstantNodesAndComputesTheSame() throws IOException {
        Path in = TestModels.write(withDeadAndFoldableNodes(), temp.resolve("in.onnx"));
        Path out = temp.resolve("out/optimized.onnx");

        CliRun run = CliRun.of("optimize", in.toString(), out.toString(), "--json");

        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> report = (Map<?, ?>) MiniJson.parse(run.out());
        assertEquals(StandardPasses.names(), report.get("passes"));
        assertEquals(true, report.get("modified"));
        assertEquals(Map.of("before", 8L, "after", 2L), report.get("nodes"));
        assertEquals(Map.of("before", 3L, "after", 2L), report.get("initializers"));
        Model optimized = OnnxImporter.read(out);
        assertEquals(List.of("Mul", "Add"), optimized.graph().nodes().stream().map(n -> n.opType()).toList());

        NpyFormat.write(Tensor.ofFloats("x", new long[] {2, 3}, 1, 2, 3, -1, 0, 4), temp.resolve("x.npy"));
        float[] before = runOn(in, "before");
        float[] after = runOn(out, "after");
        assertArrayEquals(new float[] {0.5f, 4.5f, 8, -1.5f, 0.5f, 11}, before);
        assertArrayEquals(before, after);
    }

    @Test
    void runsOnlyTheNamedPassesAndPrintsCounts() throws IOException {
        Path in = TestModels.write(withDeadAndFoldableNodes(), temp.resolve("in.onnx"));
        Path out = temp.resolve("out.onnx");

        CliRun run = CliRun.of("optimize", in.toString(), out.toString(), "--passes", "identities,dead-nodes");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("passes: identities, dead-nodes", "nodes: 8 -> 5", "initializers: 3 -> 2",
                "wrote " + out), run.outLines());
    }

    @Test
    void unknownPassIsBadUsage() throws IOException {
        Path in = TestModels.write(withDeadAndFoldableNodes(), temp.resolve("in.onnx"));

        CliRun run = CliRun.of("optimize", in.toString(), temp.resolve("out.onnx").toString(), "--passes", "inline-all");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--passes: unknown pass 'inline-all', expected one of [constant-folding, "
                + "identities, duplicate-initializers, dead-nodes, shape-inference]"), run::toString);
    }

    @Test
    void miniLmShrinksAndComputesTheSame() throws IOException {
        Path out = temp.resolve("minilm-optimized.onnx");

        CliRun run = CliRun.of("optimize", TestModels.minilmFp32().toString(), out.toString(), "--json");

        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> report = (Map<?, ?>) MiniJson.parse(run.out());
        Map<?, ?> nodes = (Map<?, ?>) report.get("nodes");
        assertTrue((Long) nodes.get("after") < (Long) nodes.get("before"), report::toString);
        float[] before = runMiniLm(TestModels.minilmFp32(), "before");
        float[] after = runMiniLm(out, "after");
        assertArrayEquals(before, after, 1e-5f);
    }

    private float[] runOn(Path model, String folder) throws IOException {
        Path outputs = temp.resolve(folder);
        CliRun run = CliRun.of("run", model.toString(), "--input", "x=" + temp.resolve("x.npy"),
                "--output-dir", outputs.toString());
        assertEquals(0, run.exitCode(), run::toString);
        return NpyFormat.read(outputs.resolve("y.npy")).toFloatArray();
    }

    private float[] runMiniLm(Path model, String folder) throws IOException {
        Path outputs = temp.resolve(folder);
        CliRun run = CliRun.of("run", model.toString(), "--dim", "batch_size=2", "--dim", "sequence_length=8",
                "--output-dir", outputs.toString());
        assertEquals(0, run.exitCode(), run::toString);
        return NpyFormat.read(outputs.resolve("last_hidden_state.npy")).toFloatArray();
    }
}
