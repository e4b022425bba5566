package dev.tern.compress.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelRemovalTest {
    /** Channel c of the Conv has weights all equal to c + 1, so L1 and L2 keep the highest channels. */
    private static Tensor convWeight(int channels, int inputs) {
        float[] values = new float[channels * inputs];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < inputs; i++) {
                values[c * inputs + i] = (c % 2 == 0 ? 1 : -1) * (c + 1) * 0.1f;
            }
        }
        return Tensor.ofFloats("conv.weight", new long[] {channels, inputs, 1, 1}, values);
    }

    private static float[] ramp(int count, float step) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (i + 1) * step;
        }
        return values;
    }

    /** Conv (4 channels) -> BatchNormalization -> Relu -> GlobalAveragePool -> Flatten -> Gemm (transB) to 3 outputs. */
    private static Model convBatchNormGemm() {
        GraphBuilder g = GraphBuilder.create("bn");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(2), Dim.of(3), Dim.of(3));
        Value conv = g.node("Conv").inputs(x, g.initializer(convWeight(4, 2))).output();
        Value normalized = g.node("BatchNormalization").inputs(conv,
                g.initializer(Tensor.ofFloats("bn.scale", new long[] {4}, ramp(4, 1))),
                g.initializer(Tensor.ofFloats("bn.bias", new long[] {4}, ramp(4, 0.5f))),
                g.initializer(Tensor.ofFloats("bn.mean", new long[] {4}, ramp(4, 0.1f))),
                g.initializer(Tensor.ofFloats("bn.var", new long[] {4}, ramp(4, 2)))).output();
        Value pooled = g.op("GlobalAveragePool", g.op("Relu", normalized));
        Value flat = g.node("Flatten").inputs(pooled).attr("axis", 1L).output();
        Value logits = g.node("Gemm").inputs(flat,
                g.initializer(Tensor.ofFloats("head.weight", new long[] {3, 4}, ramp(12, 0.1f))),
                g.initializer(Tensor.ofFloats("head.bias", new long[] {3}, 0, 0, 0))).attr("transB", 1L).output();
        g.output(logits, "y");
        return g.toModel(17);
    }

    @Test
    void batchNormalizationParametersAndTheRowsOfATransposedGemmAreCut() {
        Model model = convBatchNormGemm();
        ChannelPlan plan = StructuredPruning.plan(model, 0.5, ChannelNorm.L1);
        Model smaller = StructuredPruning.removeChannels(model, plan);

        assertArrayEquals(new int[] {2, 3}, plan.layer("conv.weight").kept());
        assertArrayEquals(new long[] {2, 2, 1, 1}, dims(smaller, "conv.weight"));
        assertArrayEquals(new float[] {3, 4}, floats(smaller, "bn.scale"));
        assertArrayEquals(new float[] {0.3f, 0.4f}, floats(smaller, "bn.mean"), 1e-6f);
        assertArrayEquals(new float[] {0.3f, 0.4f, 0.7f, 0.8f, 1.1f, 1.2f}, floats(smaller, "head.weight"), 1e-6f);
        Tensor x = Tensor.ofFloats("x", new long[] {1, 2, 3, 3}, ramp(18, 0.05f));
        try (Runtime runtime = Runtime.create(); CompiledModel compiled = runtime.compile(smaller)) {
            assertArrayEquals(new long[] {1, 3}, compiled.run(Map.of("x", x)).get("y").dims());
        }
    }

    @Test
    void aReshapeOfTheChannelsIsRefusedNamingIt() {
        GraphBuilder g = GraphBuilder.create("reshaped");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(1), Dim.of(2), Dim.of(3), Dim.of(3));
        Value conv = g.node("Conv").inputs(x, g.initializer(convWeight(4, 2))).output();
        Value rows = g.node("Reshape").name("to_rows")
                .inputs(conv, g.initializer(Tensor.ofLongs("shape", new long[] {2}, 1, 36))).output();
        g.output(g.op("MatMul", rows, g.initializer(Tensor.ofFloats("head", new long[] {36, 2}, new float[72]))), "y");

        PruningException e = assertThrows(PruningException.class,
                () -> StructuredPruning.plan(g.toModel(17), 0.5, ChannelNorm.L2));

        assertTrue(e.getMessage().contains("'to_rows'") && e.getMessage().contains("Reshape")
                && e.getMessage().contains("'conv.weight'"), e.getMessage());
    }

    @Test
    void aPlanThatDoesNotFitTheModelIsRefusedByThePass() {
        Model model = convBatchNormGemm();
        ChannelPlan plan = new ChannelPlan(List.of(new ChannelPlan.Layer("conv.weight", 8, new int[] {0})),
                Map.of());

        Exception e = assertThrows(RuntimeException.class, () -> StructuredPruning.removeChannels(model, plan));

        assertTrue(e.getMessage().contains("prune-channels") && e.getMessage().contains("8 output channels"),
                e.getMessage());
    }

    private static long[] dims(Model model, String name) {
        return model.graph().initializers().get(name).initializer().dims();
    }

    private static float[] floats(Model model, String name) {
        return model.graph().initializers().get(name).initializer().toFloatArray();
    }
}
