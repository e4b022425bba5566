package dev.tern.compress.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.OptimizationLevel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The fake-quantized model computes what the static QDQ model computes, while its weights stay
 * float initializers read through QuantizeLinear on the weight itself.
 */
class FakeQuantizationPassTest {
    private static final List<Map<String, Tensor>> CALIBRATION = IntStream.range(0, 8)
            .mapToObj(i -> TestModels.denseInputs(16, i)).toList();

    private static void assertMatchesStaticQuantization(QuantizationSettings settings) {
        Model model = TestModels.denseAndEmbedding();
        Map<String, float[]> ranges = Quantization.calibrate(model, Quantization.qdqTargets(model, settings),
                CALIBRATION, settings);
        Model fake = new FakeQuantizationPass(settings, ranges).apply(model).model();
        Model quantized = Quantization.applyQdq(model, settings, ranges).model();

        for (String weight : List.of("w1", "w2")) {
            // Read by QuantizeLinear, and by Abs on the way to its scale.
            List<Node> readers = fake.graph().initializers().get(weight).uses().stream().map(Value.Use::node)
                    .toList();
            assertEquals(List.of("Abs", "QuantizeLinear"), readers.stream().map(Node::opType).sorted().toList());
            Node quantize = readers.stream().filter(node -> node.opType().equals("QuantizeLinear")).findFirst()
                    .orElseThrow();
            assertEquals("DequantizeLinear", quantize.output(0).uses().get(0).node().opType());
        }
        assertSame(model.graph().initializers().get("w1").initializer(),
                fake.graph().initializers().get("w1").initializer(), "the float weight is kept as it was");

        Map<String, Tensor> inputs = TestModels.denseInputs(32, 99);
        Tensor expected = unoptimized(quantized, inputs);
        Tensor actual = unoptimized(fake, inputs);
        // With no graph optimizations both run their QDQ nodes as written, in float: the weights
        // quantized in the graph at run time must equal those the static pass stored.
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray());
    }

    /** y by ONNX Runtime without graph optimizations: QDQ nodes run as written, with no integer kernels. */
    private static Tensor unoptimized(Model model, Map<String, Tensor> inputs) {
        SessionConfig config = SessionConfig.builder().optimizationLevel(OptimizationLevel.NONE).build();
        try (Runtime runtime = Runtime.create(); CompiledModel compiled = runtime.compile(model, config)) {
            return compiled.run(inputs).get("y");
        }
    }

    @Test
    void perTensorFakeQuantizationComputesWhatTheStaticModelDoes() {
        assertMatchesStaticQuantization(QuantizationSettings.defaults());
    }

    @Test
    void perChannelFakeQuantizationComputesWhatTheStaticModelDoes() {
        assertMatchesStaticQuantization(QuantizationSettings.builder().perChannel(true).build());
    }
}
