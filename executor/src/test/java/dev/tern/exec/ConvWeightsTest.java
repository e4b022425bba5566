package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Conv weights handed to ONNX Runtime in place must survive every optimization level: at ALL,
 * its layout transformer rewrites Conv weights and reads them from the graph it was given.
 */
class ConvWeightsTest {
    @RegisterExtension
    final OpenModels models = new OpenModels();

    /** y = Conv(x, w) with a 3x3 kernel of ones over one channel: each output sums a 3x3 window. */
    private static Model boxFilter() {
        GraphBuilder g = GraphBuilder.create("box");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(1), Dim.of(4), Dim.of(4));
        float[] ones = new float[9];
        java.util.Arrays.fill(ones, 1f);
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {1, 1, 3, 3}, ones));
        g.output(g.node("Conv").inputs(x, w).ints("kernel_shape", 3, 3).output(), "y");
        return g.toModel(17);
    }

    @ParameterizedTest
    @EnumSource(OptimizationLevel.class)
    void convRunsAtEveryOptimizationLevel(OptimizationLevel level) {
        float[] input = new float[16];
        for (int i = 0; i < input.length; i++) {
            input[i] = i;
        }
        SessionConfig config = SessionConfig.builder().optimizationLevel(level).build();
        try (CompiledModel model = models.runtime().compile(boxFilter(), config)) {
            Tensor y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {1, 1, 4, 4}, input))).get("y");
            assertArrayEquals(new long[] {1, 1, 2, 2}, y.dims());
            // Windows at (0,0), (0,1), (1,0), (1,1) of the 4x4 ramp 0..15.
            assertArrayEquals(new float[] {45, 54, 81, 90}, y.toFloatArray());
        }
    }

    /** Wide enough (16 output channels) for ONNX Runtime's NCHWc layout rewrite to take the Conv at ALL. */
    @Test
    void wideConvAtAllMatchesTheUnoptimizedRun() {
        java.util.Random random = new java.util.Random(3);
        float[] weights = new float[16 * 3 * 3 * 3];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextFloat() - 0.5f;
        }
        GraphBuilder g = GraphBuilder.create("wide");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(3), Dim.of(8), Dim.of(8));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {16, 3, 3, 3}, weights));
        g.output(g.op("Relu", g.node("Conv").inputs(x, w).ints("pads", 1, 1, 1, 1).output()), "y");
        Model wide = g.toModel(17);
        float[] input = new float[2 * 3 * 8 * 8];
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat();
        }
        Map<String, Tensor> feeds = Map.of("x", Tensor.ofFloats("x", new long[] {2, 3, 8, 8}, input));
        float[] expected;
        try (CompiledModel plain = models.runtime().compile(wide,
                SessionConfig.builder().optimizationLevel(OptimizationLevel.NONE).build())) {
            expected = plain.run(feeds).get("y").toFloatArray();
        }
        try (CompiledModel optimized = models.runtime().compile(wide, SessionConfig.defaults())) {
            float[] actual = optimized.run(feeds).get("y").toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4, "element " + i);
            }
        }
    }

    @Test
    void defaultLevelIsAll() {
        assertEquals(OptimizationLevel.ALL, SessionConfig.defaults().optimizationLevel());
    }
}
