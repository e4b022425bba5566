package dev.tern.train;

import dev.tern.exec.CompiledModel;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training-mode Dropout's gradient against the mask ONNX Runtime drew in the same run:
 * d loss / dx = dy * mask / (1 - ratio), here with dy = c, a fixed weight per element.
 */
class DropoutGradientTest extends RuntimeExtension {
    private static final int SIZE = 64;
    private static final float RATIO = 0.3f;

    /** loss = sum(Dropout(x, RATIO, training) * c); with {@code maskOutput} the mask is a graph output too. */
    private static Model dropoutTimesWeights(boolean maskOutput) {
        GraphBuilder g = GraphBuilder.create("dropout_training");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(SIZE));
        Value ratio = g.initializer(Tensor.ofFloats("ratio", new long[0], RATIO));
        Value training = g.initializer(Tensor.ofBooleans("training", new long[0], true));
        List<Value> outputs = g.node("Dropout").name("drop").inputs(x, ratio, training)
                .attr("seed", 5L).outputs(maskOutput ? 2 : 1);
        g.output(outputs.get(0), "y");
        if (maskOutput) {
            g.output(outputs.get(1), "mask");
        }
        g.output(g.op("ReduceSum", g.op("Mul", outputs.get(0), g.initializer(Tensor.ofFloats("c", new long[] {SIZE}, weights())))), "loss");
        return g.toModel(17);
    }

    private static float[] weights() {
        float[] c = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            c[i] = 1 + i * 0.25f;
        }
        return c;
    }

    private static Map<String, Tensor> runGradient(Model model) {
        GradientModel gradients = Autodiff.differentiate(model, "loss", List.of("x"));
        float[] x = new float[SIZE];
        Arrays.fill(x, 2);
        try (CompiledModel compiled = runtime.compile(gradients.model())) {
            return compiled.run(Map.of("x", Tensor.ofFloats("x", new long[] {SIZE}, x)));
        }
    }

    @Test
    void gradientIsUpstreamTimesTheMaskOverTheKeptShare() {
        Map<String, Tensor> results = runGradient(dropoutTimesWeights(true));
        boolean[] mask = booleans(results.get("mask"));
        float[] gradient = results.get("grad.x").toFloatArray();
        float[] c = weights();
        int kept = 0;
        for (int i = 0; i < SIZE; i++) {
            float expected = mask[i] ? c[i] / (1 - RATIO) : 0;
            assertEquals(expected, gradient[i], 1e-5f, "element " + i);
            kept += mask[i] ? 1 : 0;
        }
        assertTrue(kept > 0 && kept < SIZE, "the mask drops some elements and keeps others, kept " + kept);
    }

    @Test
    void dropoutWithoutItsMaskOutputGetsOneFromTheExpansion() {
        Map<String, Tensor> results = runGradient(dropoutTimesWeights(false));
        float[] y = results.get("y").toFloatArray();
        float[] gradient = results.get("grad.x").toFloatArray();
        float[] c = weights();
        for (int i = 0; i < SIZE; i++) {
            // x is 2 everywhere: a kept element reads 2 / (1 - ratio), a dropped one 0.
            boolean keptElement = y[i] != 0;
            assertEquals(keptElement ? c[i] / (1 - RATIO) : 0, gradient[i], 1e-5f, "element " + i);
        }
    }

    @Test
    void theSessionSeedFixesTheMasks() {
        double seeded = firstLoss(42);
        assertEquals(seeded, firstLoss(42), "the same seed, the same masks");
        assertTrue(seeded != firstLoss(43), "another seed, other masks");
    }

    /** The loss of one step of mse(Dropout(x w), target) with unseeded Dropout, the session seeded with {@code seed}. */
    private static double firstLoss(long seed) {
        GraphBuilder g = GraphBuilder.create("dropout_layer");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(SIZE));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {SIZE}, weights()));
        Value ratio = g.initializer(Tensor.ofFloats("ratio", new long[0], RATIO));
        Value training = g.initializer(Tensor.ofBooleans("training", new long[0], true));
        g.output(g.node("Dropout").inputs(g.op("Mul", x, w), ratio, training).output(), "y");
        float[] ones = new float[SIZE];
        Arrays.fill(ones, 1);
        Tensor batch = Tensor.ofFloats("x", new long[] {1, SIZE}, ones);
        try (TrainingSession session = TrainingSession.builder(g.toModel(17)).loss(Loss.mse("y", "target"))
                .trainable(List.of("w")).optimizer(Optimizer.sgd()).schedule(LearningRateSchedule.constant(0))
                .seed(seed).build(runtime)) {
            return session.step(Map.of("x", batch, "target", batch.withName("target"))).loss();
        }
    }

    private static boolean[] booleans(Tensor tensor) {
        boolean[] values = new boolean[(int) tensor.elementCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = tensor.data().get(i) != 0;
        }
        return values;
    }
}
