package dev.tern.compress.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.PassException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Static QDQ quantization of a small Conv and Gemm model whose float outputs are the reference. */
class StaticQuantizationTest {
    /** x [batch, 1, 4, 4] -> Conv 3x3 (2 filters, padded) "conv" -> Relu -> Flatten -> Gemm (transB, 3) "fc" = y. */
    private static Model convAndGemm() {
        Random random = new Random(3);
        GraphBuilder g = GraphBuilder.create("conv_gemm");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(1), Dim.of(4), Dim.of(4));
        Value w = g.initializer("conv.weight", Tensor.ofFloats("conv.weight", new long[] {2, 1, 3, 3},
                TestModels.gaussian(random, 18, 0.5f)));
        Value b = g.initializer("conv.bias", Tensor.ofFloats("conv.bias", new long[] {2}, 0.1f, -0.2f));
        Value conv = g.node("Conv").name("conv").inputs(x, w, b).ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1)
                .output("conv_out");
        Value flat = g.node("Flatten").inputs(g.op("Relu", conv)).attr("axis", 1L).output("flat");
        Value fcW = g.initializer("fc.weight", Tensor.ofFloats("fc.weight", new long[] {3, 32},
                TestModels.gaussian(random, 96, 0.3f)));
        Value fcB = g.initializer("fc.bias", Tensor.ofFloats("fc.bias", new long[] {3}, 0.5f, 0f, -0.5f));
        g.output(g.node("Gemm").name("fc").inputs(flat, fcW, fcB).attr("transB", 1L).output(), "y");
        return g.toModel(TestModels.OPSET);
    }

    private static List<Map<String, Tensor>> batches(int count, long seed) {
        Random random = new Random(seed);
        return IntStream.range(0, count)
                .mapToObj(i -> Map.of("x", Tensor.ofFloats("x", new long[] {8, 1, 4, 4},
                        TestModels.gaussian(random, 128, 1f))))
                .toList();
    }

    private static long count(Model model, String opType) {
        return TestModels.count(model, opType);
    }

    @Test
    void writesQdqPairsInt8WeightsAndInt32BiasesAndStaysCloseToFloat() {
        Model model = convAndGemm();
        QuantizationResult result = Quantization.qdq(model,
                QuantizationSettings.builder().perChannel(true).build(), batches(10, 1));

        Model quantized = result.model();
        assertEquals(List.of("'conv' (Conv)", "'fc' (Gemm)"), result.quantizedNodes());
        // x, conv_out and the Gemm's input and output: one QuantizeLinear each.
        assertEquals(4, count(quantized, "QuantizeLinear"));
        // Those four, two weights and two biases.
        assertEquals(8, count(quantized, "DequantizeLinear"));
        Map<String, Value> initializers = quantized.graph().initializers();
        assertEquals(ElementType.INT8, initializers.get("conv/weight_quantized").initializer().elementType());
        assertEquals(ElementType.INT32, initializers.get("fc/bias_quantized").initializer().elementType());
        assertTrue(initializers.values().stream().noneMatch(v -> v.name().equals("conv.weight")),
                "the float weights are gone");
        assertEquals("y", quantized.graph().outputs().get(0).name(), "the graph output keeps its name");
        Node perChannelWeight = quantized.graph().nodes().stream()
                .filter(n -> n.name().equals("conv/weight/DequantizeLinear")).findFirst().orElseThrow();
        assertEquals(0, perChannelWeight.attribute("axis").orElseThrow().asInt());

        Map<String, Tensor> probe = batches(1, 99).get(0);
        Tensor expected = TestModels.run(model, probe).get("y");
        float difference = TestModels.maxDifference(expected, TestModels.run(quantized, probe).get("y"));
        assertTrue(difference < 0.1f, "y differs from float by " + difference);
    }

    @Test
    void symmetricActivationsAreInt8WithZeroPointZero() {
        Model quantized = Quantization.qdq(convAndGemm(),
                QuantizationSettings.builder().symmetricActivations(true).calibration(CalibrationMethod.PERCENTILE)
                        .build(), batches(4, 1)).model();
        Tensor zeroPoint = quantized.graph().initializers().get("x/zero_point").initializer();
        assertEquals(ElementType.INT8, zeroPoint.elementType());
        assertEquals(0, zeroPoint.data().get(0));
    }

    @Test
    void anExcludedNodeStaysFloatAndGetsNoPairs() {
        QuantizationResult result = Quantization.qdq(convAndGemm(),
                QuantizationSettings.builder().exclude(List.of("fc")).build(), batches(4, 1));
        assertEquals(List.of("'conv' (Conv)"), result.quantizedNodes());
        assertEquals(2, count(result.model(), "QuantizeLinear"));
        assertTrue(result.model().graph().initializers().containsKey("fc.weight"));
    }

    @Test
    void refusalsNameWhatIsMissing() {
        QuantizationException noData = assertThrows(QuantizationException.class,
                () -> Quantization.qdq(convAndGemm(), QuantizationSettings.defaults(), List.of()));
        assertTrue(noData.getMessage().contains("static quantization needs calibration data, found no batches"),
                noData.getMessage());

        QuantizationException wrongInput = assertThrows(QuantizationException.class,
                () -> Quantization.qdq(convAndGemm(), QuantizationSettings.defaults(),
                        List.of(Map.of("x", Tensor.ofFloats("x", new long[] {1, 16}, new float[16])))));
        assertTrue(wrongInput.getMessage().startsWith("calibration batch does not fit model 'conv_gemm'"),
                wrongInput.getMessage());

        Model old = convAndGemm();
        old.opsetImports().put("", 12L);
        PassException opset = assertThrows(PassException.class, () -> Quantization.qdq(old,
                QuantizationSettings.builder().perChannel(true).build(), batches(2, 1)));
        assertTrue(opset.getMessage().contains("expected default-domain opset 13 or later (QuantizeLinear with a "
                + "per-channel axis), found 12"), opset.getMessage());
    }
}
