package dev.tern.train;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.OptimizationLevel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares the gradients {@link Autodiff} builds with central finite differences
 * (f(x + h) - f(x - h)) / 2h, both evaluated by ONNX Runtime: the gradient model once, the
 * untouched forward model (compiled once) twice per element.
 *
 * <p>Tolerances. DOUBLE: h = 1e-6 makes the truncation error (h^2/6 f''') about 1e-12 and the
 * rounding error (eps |f| / h) about 1e-9 for the losses here (|f| below 100), so 1e-6
 * absolute plus 1e-6 relative leaves a wide margin while any wrong rule is off by far more.
 * FLOAT (for kernels ONNX Runtime has only in float: Conv, pooling, Erf, ...): h = 1e-2 keeps
 * the rounding error (6e-8 |f| / h) near 1e-4; the truncation error is h^2/6 f''' and zero for
 * the ops that are linear in the checked input, so 5e-3 absolute plus 1e-2 relative.
 */
final class GradientCheck {
    private static final double FLOAT_STEP = 1e-2;
    private static final double FLOAT_ABSOLUTE = 5e-3;
    private static final double FLOAT_RELATIVE = 1e-2;
    private static final SessionConfig CONFIG = SessionConfig.builder()
            .intraOpThreads(1)
            .optimizationLevel(OptimizationLevel.NONE)
            .build();

    private GradientCheck() {
    }

    /**
     * Checks d{@code loss}/d{@code name} for every name in {@code wrt}: graph inputs of
     * {@code forward} fed from {@code feeds}, which holds a value for every input.
     */
    static void check(Runtime runtime, Model forward, String loss, Map<String, Tensor> feeds, List<String> wrt) {
        check(runtime, Autodiff.differentiate(forward, loss, wrt), forward, loss, feeds, wrt);
    }

    /**
     * Checks {@code gradients} against finite differences of {@code forward}, a model with
     * the same inputs (every name in {@code wrt} among them) that computes the same loss.
     */
    static void check(Runtime runtime, GradientModel gradients, Model forward, String loss, Map<String, Tensor> feeds,
                      List<String> wrt) {
        try (CompiledModel backward = runtime.compile(gradients.model(), CONFIG);
             CompiledModel function = runtime.compile(forward, CONFIG)) {
            Map<String, Tensor> computed = backward.run(feeds);
            for (String name : wrt) {
                Tensor gradient = computed.get(gradients.gradientOutputs().get(name));
                assertNotNull(gradient, "no gradient output for " + name);
                Tensor point = feeds.get(name);
                assertArrayEquals(point.dims(), gradient.dims(), "gradient shape of " + name);
                assertEquals(point.elementType(), gradient.elementType(), "gradient type of " + name);
                compare(function, loss, feeds, name, values(gradient));
            }
        }
    }

    /**
     * Checks chosen elements of FLOAT gradients only, for models too large to check whole:
     * {@code sample} maps a trainable name to the flat indices to check, with h = 1e-2 and
     * the caller's tolerances (it knows how deep the model is).
     */
    static void checkSample(Runtime runtime, GradientModel gradients, Model forward, String loss,
                            Map<String, Tensor> feeds, Map<String, int[]> sample, double absolute, double relative) {
        try (CompiledModel backward = runtime.compile(gradients.model(), CONFIG);
             CompiledModel function = runtime.compile(forward, CONFIG)) {
            Map<String, Tensor> computed = backward.run(feeds);
            for (Map.Entry<String, int[]> entry : sample.entrySet()) {
                String name = entry.getKey();
                float[] analytic = computed.get(gradients.gradientOutputs().get(name)).toFloatArray();
                float[] point = feeds.get(name).toFloatArray();
                for (int i : entry.getValue()) {
                    // The step as float32 holds it, so rounding of x +- h does not bias the slope.
                    float up = (float) (point[i] + FLOAT_STEP);
                    float down = (float) (point[i] - FLOAT_STEP);
                    double numeric = (evaluateAt(function, loss, feeds, name, point, i, up)
                            - evaluateAt(function, loss, feeds, name, point, i, down)) / ((double) up - down);
                    double error = Math.abs(numeric - analytic[i]);
                    if (error > absolute + relative * Math.abs(numeric)) {
                        fail("d" + loss + "/d" + name + "[" + i + "]: autodiff " + analytic[i] + ", finite difference "
                                + numeric + " (error " + error + ")");
                    }
                }
            }
        }
    }

    private static double evaluateAt(CompiledModel function, String loss, Map<String, Tensor> feeds, String name,
                                     float[] point, int index, float value) {
        // Direct, so the executor feeds it without another copy.
        ByteBuffer moved = ByteBuffer.allocateDirect(point.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        moved.asFloatBuffer().put(point).put(index, value);
        Map<String, Tensor> inputs = new HashMap<>(feeds);
        inputs.put(name, Tensor.of(name, ElementType.FLOAT, feeds.get(name).dims(), moved));
        return values(function.run(inputs).get(loss))[0];
    }

    private static void compare(CompiledModel function, String loss, Map<String, Tensor> feeds, String name, double[] analytic) {
        Tensor point = feeds.get(name);
        boolean isDouble = point.elementType() == ElementType.DOUBLE;
        double h = isDouble ? 1e-6 : FLOAT_STEP;
        double absolute = isDouble ? 1e-6 : FLOAT_ABSOLUTE;
        double relative = isDouble ? 1e-6 : FLOAT_RELATIVE;
        double[] x = values(point);
        for (int i = 0; i < x.length; i++) {
            double plus = evaluate(function, loss, feeds, name, x, i, x[i] + h);
            double minus = evaluate(function, loss, feeds, name, x, i, x[i] - h);
            double numeric = (plus - minus) / (2 * h);
            double error = Math.abs(numeric - analytic[i]);
            if (error > absolute + relative * Math.abs(numeric)) {
                fail("d" + loss + "/d" + name + "[" + i + "]: autodiff " + analytic[i] + ", finite difference "
                        + numeric + " (error " + error + "); all autodiff values " + Arrays.toString(analytic));
            }
        }
    }

    private static double evaluate(CompiledModel function, String loss, Map<String, Tensor> feeds, String name,
                                   double[] x, int index, double value) {
        double[] moved = x.clone();
        moved[index] = value;
        Map<String, Tensor> inputs = new HashMap<>(feeds);
        inputs.put(name, tensor(name, feeds.get(name).elementType(), feeds.get(name).dims(), moved));
        return values(function.run(inputs).get(loss))[0];
    }

    static double[] values(Tensor tensor) {
        if (tensor.elementType() == ElementType.DOUBLE) {
            return tensor.toDoubleArray();
        }
        float[] floats = tensor.toFloatArray();
        double[] result = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
            result[i] = floats[i];
        }
        return result;
    }

    static Tensor tensor(String name, ElementType type, long[] dims, double[] values) {
        if (type == ElementType.DOUBLE) {
            return Tensor.ofDoubles(name, dims, values);
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return Tensor.ofFloats(name, dims, floats);
    }
}
