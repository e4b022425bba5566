package dev.tern.compress.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.PassException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dynamic quantization of Gemm, MatMul and Gather on a small model whose float outputs are the reference. */
class DynamicQuantizationTest {
    private static final Map<String, Tensor> INPUTS = TestModels.denseInputs(32, 11);

    @Test
    void rewritesEveryTargetIntoOnnxRuntimesPatternAndStaysCloseToFloat() {
        Model model = TestModels.denseAndEmbedding();
        QuantizationResult result = Quantization.dynamic(model, QuantizationSettings.defaults());

        Model quantized = result.model();
        assertEquals(List.of("'dense1' (Gemm)", "'dense2' (MatMul)", "'embed' (Gather)"), result.quantizedNodes());
        assertEquals(2, TestModels.count(quantized, "DynamicQuantizeLinear"));
        assertEquals(2, TestModels.count(quantized, "MatMulInteger"));
        assertEquals(0, TestModels.count(quantized, "Gemm") + TestModels.count(quantized, "MatMul"));
        assertEquals(1, TestModels.count(quantized, "DequantizeLinear"));
        assertTrue(quantized.graph().initializers().values().stream()
                .noneMatch(v -> v.initializer().elementType() == ElementType.FLOAT && v.initializer().rank() == 2),
                "the float weight matrices are gone");
        assertEquals(1, TestModels.count(model, "Gemm"), "the float model is left as it was");
        assertEquals(1, TestModels.count(model, "MatMul"), "the float model is left as it was");

        Map<String, Tensor> expected = TestModels.run(model, INPUTS);
        Map<String, Tensor> found = TestModels.run(quantized, INPUTS);
        assertTrue(TestModels.maxDifference(expected.get("y"), found.get("y")) < 0.15f,
                "y differs by " + TestModels.maxDifference(expected.get("y"), found.get("y")));
        // The table's largest entry is about 2.5: one int8 step is 0.02, so a row is off by at most half that.
        assertTrue(TestModels.maxDifference(expected.get("rows"), found.get("rows")) < 0.011f);
    }

    @Test
    void perChannelScalesFollowColumnsOfDifferentMagnitude() {
        Model model = TestModels.denseAndEmbedding();
        float[] expected = TestModels.run(model, INPUTS).get("y").toFloatArray();
        float perTensor = smallColumnError(Quantization.dynamic(model, QuantizationSettings.defaults()), expected);
        float perChannel = smallColumnError(Quantization.dynamic(model,
                QuantizationSettings.builder().perChannel(true).build()), expected);
        assertTrue(perChannel * 5 < perTensor, "column 0 error per channel " + perChannel + ", per tensor " + perTensor);
    }

    /** The largest error in y's column 0, whose weights are 100 times smaller than the others. */
    private static float smallColumnError(QuantizationResult result, float[] expected) {
        float[] found = TestModels.run(result.model(), INPUTS).get("y").toFloatArray();
        float max = 0;
        for (int i = 0; i < found.length; i += 4) {
            max = Math.max(max, Math.abs(found[i] - expected[i]));
        }
        return max;
    }

    @Test
    void excludedOpTypesAndNodeNamesStayFloat() {
        QuantizationResult result = Quantization.dynamic(TestModels.denseAndEmbedding(),
                QuantizationSettings.builder().exclude(List.of("dense2", "Gather")).build());
        assertEquals(List.of("'dense1' (Gemm)"), result.quantizedNodes());
        assertEquals(1, TestModels.count(result.model(), "MatMul"));
        assertEquals(1, TestModels.count(result.model(), "Gather"));
        assertFalse(result.model().graph().initializers().get("w2") == null, "dense2 keeps its float weight");
    }

    @Test
    void anExcludedNameMatchingNothingIsNamed() {
        QuantizationException e = assertThrows(QuantizationException.class, () -> Quantization.dynamic(
                TestModels.denseAndEmbedding(), QuantizationSettings.builder().exclude(List.of("dense3", "Relu")).build()));
        assertTrue(e.getMessage().contains("excluded [dense3] match no node"), e.getMessage());
    }

    @Test
    void aModelWithNothingQuantizableSaysWhatItFound() {
        GraphBuilder g = GraphBuilder.create("activations");
        Value x = g.input("x", ElementType.FLOAT, new Dim.Known(2));
        g.output(g.op("Relu", x), "y");
        QuantizationException e = assertThrows(QuantizationException.class,
                () -> Quantization.dynamic(g.toModel(TestModels.OPSET), QuantizationSettings.defaults()));
        assertTrue(e.getMessage().contains("'activations' has nothing to quantize")
                && e.getMessage().contains("found the op types [Relu]"), e.getMessage());

        QuantizationException excluded = assertThrows(QuantizationException.class, () -> Quantization.dynamic(
                TestModels.denseAndEmbedding(),
                QuantizationSettings.builder().exclude(List.of("Gemm", "MatMul", "Gather")).build()));
        assertTrue(excluded.getMessage().contains("nothing to quantize"), excluded.getMessage());
    }

    @Test
    void anOpsetWithoutDynamicQuantizeLinearIsRefusedByThePass() {
        Model model = TestModels.denseAndEmbedding();
        model.opsetImports().put("", 10L);
        PassException e = assertThrows(PassException.class,
                () -> Quantization.dynamic(model, QuantizationSettings.defaults()));
        assertTrue(e.getMessage().startsWith("pass 'quantize-dynamic': precondition failed: expected default-domain "
                + "opset 11 or later"), e.getMessage());
    }
}
