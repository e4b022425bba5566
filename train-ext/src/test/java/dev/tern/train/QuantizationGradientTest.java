package dev.tern.train;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.OptimizationLevel;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fake quantization (QuantizeLinear then DequantizeLinear) under the straight-through
 * estimator. Rounding has no useful derivative, so finite differences cannot check it; the
 * reference is the estimator's definition, computed here in Java: the gradient passes where
 * round(w / scale) + zero_point lies in the quantized type's range, and is 0 where it was clamped.
 */
class QuantizationGradientTest extends RuntimeExtension {
    private static final SessionConfig UNOPTIMIZED = SessionConfig.builder()
            .optimizationLevel(OptimizationLevel.NONE)
            .build();

    /** loss = sum(fakeQuantized(w) * c): its straight-through gradient is c inside the range, 0 outside. */
    private static Model weighted(Tensor w, Tensor scale, Tensor zeroPoint, long axis) {
        GraphBuilder g = GraphBuilder.create("fake_quantized");
        Value weight = g.initializer(w);
        Value c = g.input("c", ElementType.FLOAT, Dim.of(w.dims()[0]), Dim.of(w.dims()[1]));
        Value s = g.initializer(scale);
        Value zp = g.initializer(zeroPoint);
        Value q = g.node("QuantizeLinear").name("quantize").inputs(weight, s, zp).attr("axis", axis).output();
        Value dq = g.node("DequantizeLinear").name("dequantize").inputs(q, s, zp).attr("axis", axis).output();
        g.output(g.op("ReduceSum", g.op("Mul", dq, c)), "loss");
        return g.toModel(17);
    }

    private static Tensor bytes(String name, ElementType type, long[] dims, int... values) {
        ByteBuffer data = ByteBuffer.allocateDirect(values.length);
        for (int value : values) {
            data.put((byte) value);
        }
        return Tensor.of(name, type, dims, data.flip());
    }

    private static float[] gradient(Model model, Tensor c) {
        GradientModel gradients = Autodiff.differentiate(model, "loss", List.of("w"));
        try (CompiledModel compiled = runtime.compile(gradients.model())) {
            Tensor w = model.graph().initializers().get("w").initializer();
            return compiled.run(Map.of("c", c, "w", w)).get("grad.w").toFloatArray();
        }
    }

    private static Tensor coefficients(long rows, long columns) {
        float[] values = new float[(int) (rows * columns)];
        for (int i = 0; i < values.length; i++) {
            values[i] = 0.5f + i;
        }
        return Tensor.ofFloats("c", new long[] {rows, columns}, values);
    }

    @Test
    void perTensorInt8PassesTheGradientInsideTheRangeOnly() {
        // scale 0.05 and zero point 0 cover [-6.4, 6.35]: 7.0 and -9.0 are clamped.
        float[] w = {0.3f, -1.22f, 7.0f, -9.0f, 2.51f, 6.34f};
        Model model = weighted(Tensor.ofFloats("w", new long[] {2, 3}, w),
                Tensor.ofFloats("scale", new long[0], 0.05f), bytes("zp", ElementType.INT8, new long[0], 0), 1);
        Tensor c = coefficients(2, 3);
        float[] expected = straightThrough(w, c.toFloatArray(), new float[] {0.05f}, new float[] {0}, 1, -128, 127);
        assertArrayEquals(new float[] {0.5f, 1.5f, 0, 0, 4.5f, 5.5f}, expected, "the reference itself");
        assertArrayEquals(expected, gradient(model, c));
    }

    @Test
    void perAxisUint8UsesEachRowsScaleAndZeroPoint() {
        // Row 0: scale 0.1, zero point 100 covers [-10, 15.5]; row 1: scale 0.02, zero point 50 covers [-1, 4.1].
        float[] w = {1, -11, 16, -1.5f, 0.5f, 4.5f};
        Model model = weighted(Tensor.ofFloats("w", new long[] {2, 3}, w),
                Tensor.ofFloats("scale", new long[] {2}, 0.1f, 0.02f),
                bytes("zp", ElementType.UINT8, new long[] {2}, 100, 50), 0);
        Tensor c = coefficients(2, 3);
        float[] expected = straightThrough(w, c.toFloatArray(), new float[] {0.1f, 0.02f}, new float[] {100, 50}, 3,
                0, 255);
        assertArrayEquals(new float[] {0.5f, 0, 0, 0, 4.5f, 0}, expected, "the reference itself");
        assertArrayEquals(expected, gradient(model, c));
    }

    /** The estimator by its definition; parameters are per row when there is more than one, rows being {@code rowLength} long. */
    private static float[] straightThrough(float[] w, float[] upstream, float[] scales, float[] zeroPoints,
                                           int rowLength, int min, int max) {
        float[] result = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            int row = scales.length == 1 ? 0 : i / rowLength;
            double level = Math.rint(w[i] / scales[row]) + zeroPoints[row];
            result[i] = level >= min && level <= max ? upstream[i] : 0;
        }
        return result;
    }

    /**
     * Quantization-aware training: a linear model whose weight is fake-quantized to int8 on a
     * 0.1 grid learns targets made by a weight on that grid, and the exported model, with its
     * quantize and dequantize nodes, reproduces them.
     */
    @Test
    void aFakeQuantizedWeightTrainsToTheTargetWeight() {
        float[] trueWeight = {0.7f, -1.2f, 0.3f, 2.0f, -0.5f, 0.1f};
        Random random = new Random(11);
        float[] x = new float[64 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] target = new float[64 * 2];
        for (int row = 0; row < 64; row++) {
            for (int o = 0; o < 2; o++) {
                for (int i = 0; i < 3; i++) {
                    target[row * 2 + o] += x[row * 3 + i] * trueWeight[i * 2 + o];
                }
            }
        }
        GraphBuilder g = GraphBuilder.create("qat_linear");
        Value input = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {3, 2}, new float[6]));
        Value scale = g.initializer(Tensor.ofFloats("scale", new long[0], 0.1f));
        Value zp = g.initializer(bytes("zp", ElementType.INT8, new long[0], 0));
        Value q = g.node("QuantizeLinear").inputs(w, scale, zp).output();
        g.output(g.op("MatMul", input, g.node("DequantizeLinear").inputs(q, scale, zp).output()), "y");
        Map<String, Tensor> batch = Map.of("x", Tensor.ofFloats("x", new long[] {64, 3}, x),
                "target", Tensor.ofFloats("target", new long[] {64, 2}, target));
        try (TrainingSession session = TrainingSession.builder(g.toModel(17), "y")
                .loss(Loss.meanSquaredError())
                .trainable(List.of("w"))
                .optimizer(Optimizer.adam())
                .schedule(LearningRateSchedule.cosine(0.05, 300, 0))
                .build(runtime)) {
            double first = session.step(batch).loss();
            double last = first;
            for (int step = 0; step < 300; step++) {
                last = session.step(batch).loss();
            }
            assertTrue(first > 1 && last < 1e-3, "loss went from " + first + " to " + last);
            Model exported = session.exportModel();
            float[] rounded = exported.graph().initializers().get("w").initializer().toFloatArray();
            for (int i = 0; i < rounded.length; i++) {
                rounded[i] = Math.round(rounded[i] * 10) / 10f;
            }
            assertArrayEquals(trueWeight, rounded, 1e-6f, "the trained weight, on the quantization grid");
            // Unoptimized: ONNX Runtime may fuse DequantizeLinear and MatMul into a kernel that quantizes x too.
            try (CompiledModel compiled = runtime.compile(exported, UNOPTIMIZED)) {
                float[] predicted = compiled.run(Map.of("x", batch.get("x"))).get("y").toFloatArray();
                assertArrayEquals(target, predicted, 1e-4f);
            }
        }
    }
}
