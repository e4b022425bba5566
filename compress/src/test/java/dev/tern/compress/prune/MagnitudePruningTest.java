package dev.tern.compress.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

class MagnitudePruningTest {
    /** Two layers: w1's magnitudes are 1..6, w2's 0.5, 2.5, 4.5 (signs alternate); the bias is never pruned. */
    private static Model twoLayers() {
        GraphBuilder g = GraphBuilder.create("two");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(2));
        Value w1 = g.initializer(Tensor.ofFloats("w1", new long[] {2, 3}, 1, -2, 3, -4, 5, -6));
        Value b1 = g.initializer(Tensor.ofFloats("b1", new long[] {3}, 0.01f, 0.01f, 0.01f));
        Value w2 = g.initializer(Tensor.ofFloats("w2", new long[] {1, 3, 1, 1}, 0.5f, -2.5f, 4.5f));
        Value hidden = g.op("Relu", g.op("Add", g.op("MatMul", x, w1), b1));
        Value image = g.op("Unsqueeze", hidden, g.initializer(Tensor.ofLongs("axes", new long[] {2}, 2, 3)));
        g.output(g.node("Conv").inputs(image, w2).output(), "y");
        return g.toModel(17);
    }

    @Test
    void globalPruningZeroesTheSmallestMagnitudesOverAllWeights() {
        Model pruned = MagnitudePruning.prune(twoLayers(), 0.5, SparsityScope.GLOBAL);

        // round(0.5 * 9) = 5 entries: 0.5, 1, 2, 2.5 and 3.
        assertArrayEquals(new float[] {0, 0, 0, -4, 5, -6}, floats(pruned, "w1"));
        assertArrayEquals(new float[] {0, 0, 4.5f}, floats(pruned, "w2"));
        assertArrayEquals(new float[] {0.01f, 0.01f, 0.01f}, floats(pruned, "b1"));
    }

    @Test
    void perLayerPruningGivesEveryWeightTheSameSparsity() {
        PruningMasks masks = MagnitudePruning.masks(twoLayers(), 0.34, SparsityScope.PER_LAYER);

        assertArrayEquals(new float[] {0, 0, 1, 1, 1, 1}, masks.byWeight().get("w1").toFloatArray());
        assertArrayEquals(new float[] {0, 1, 1}, masks.byWeight().get("w2").toFloatArray());
        assertEquals(3.0 / 9, masks.sparsity(), 1e-9);
    }

    @Test
    void tiesArePrunedByPositionSoTheCountIsExact() {
        GraphBuilder g = GraphBuilder.create("ties");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(1), Dim.of(2));
        g.output(g.op("MatMul", x, g.initializer(Tensor.ofFloats("w", new long[] {2, 2}, 1, -1, 1, 2))), "y");

        PruningMasks masks = MagnitudePruning.masks(g.toModel(17), 0.5, SparsityScope.GLOBAL);

        assertArrayEquals(new float[] {0, 0, 1, 1}, masks.byWeight().get("w").toFloatArray());
    }

    @Test
    void raisingTheSparsityKeepsEveryEntryPrunedBefore() {
        Model model = twoLayers();
        PruningMasks first = MagnitudePruning.masks(model, 0.3, SparsityScope.GLOBAL);
        PruningMasks second = MagnitudePruning.masks(first.applyTo(model), 0.6, SparsityScope.GLOBAL);

        for (String weight : first.byWeight().keySet()) {
            float[] before = first.byWeight().get(weight).toFloatArray();
            float[] after = second.byWeight().get(weight).toFloatArray();
            for (int i = 0; i < before.length; i++) {
                assertTrue(before[i] == 1 || after[i] == 0, weight + "[" + i + "] was pruned and came back");
            }
        }
        assertEquals(3.0 / 9, first.sparsity(), 1e-9);
        assertEquals(5.0 / 9, second.sparsity(), 1e-9);
    }

    @Test
    void prunedNegativeWeightsAreStoredAsPositiveZero() {
        Model pruned = MagnitudePruning.prune(twoLayers(), 0.5, SparsityScope.GLOBAL);

        assertEquals(0, Float.floatToRawIntBits(floats(pruned, "w1")[1]), "w1[1] was -2");
    }

    @Test
    void maskedGraphComputesWhatThePrunedWeightsDoAndFoldsBackIntoThem() {
        Model model = twoLayers();
        PruningMasks masks = MagnitudePruning.masks(model, 0.5, SparsityScope.GLOBAL);
        Model masked = new MaskInsertion(masks).apply(model).model();
        Model folded = new MaskFolding().apply(masked).model();

        assertEquals(2, masked.graph().nodes().stream().filter(node -> node.opType().equals("Constant")).count());
        for (Node node : folded.graph().nodes()) {
            assertFalse(node.metadataProps().containsKey(MaskInsertion.MASK_MARK), node.describe());
        }
        assertEquals(model.graph().nodeCount(), folded.graph().nodeCount());
        assertArrayEquals(floats(masks.applyTo(model), "w1"), floats(folded, "w1"));
        Tensor x = Tensor.ofFloats("x", new long[] {2, 2}, 1, 2, -3, 0.5f);
        try (Runtime runtime = Runtime.create()) {
            assertArrayEquals(run(runtime, masks.applyTo(model), x), run(runtime, masked, x));
            assertArrayEquals(run(runtime, masks.applyTo(model), x), run(runtime, folded, x));
        }
    }

    @Test
    void refusesSparsityOutsideZeroToOneAndModelsWithoutLayerWeights() {
        assertThrows(IllegalArgumentException.class, () -> MagnitudePruning.prune(twoLayers(), 1.0, SparsityScope.GLOBAL));
        GraphBuilder g = GraphBuilder.create("relu");
        g.output(g.op("Relu", g.input("x", ElementType.FLOAT, Dim.of(2))), "y");
        PruningException e = assertThrows(PruningException.class,
                () -> MagnitudePruning.prune(g.toModel(17), 0.5, SparsityScope.GLOBAL));
        assertTrue(e.getMessage().contains("'relu'"), e.getMessage());
    }

    private static float[] floats(Model model, String initializer) {
        return model.graph().initializers().get(initializer).initializer().toFloatArray();
    }

    private static float[] run(Runtime runtime, Model model, Tensor x) {
        try (CompiledModel compiled = runtime.compile(model)) {
            return compiled.run(Map.of("x", x)).get("y").toFloatArray();
        }
    }
}
