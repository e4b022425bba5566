package dev.tern.train;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A split step (gradients out of one run, fed back into a second that updates) trains as the
 * fused step does: the same digits batches through both, for each optimizer, give the same
 * weights to the bit.
 */
class SplitStepTest extends RuntimeExtension {
    private static final int STEPS = 8;
    private static final int BATCH = 32;
    /**
     * Gradients of uneven half batches, averaged by size, against the whole batch's: float32
     * sums over 20 and 12 rows instead of 32 round differently (measured: 4.3e-7 after eight
     * AdamW steps). Weights are of order 0.1 to 1 and move by more than 1e-3 in eight steps, so
     * 1e-5 still tells a wrong mean apart (an unweighted one shifts every gradient by an eighth
     * of the difference between the halves' gradients).
     */
    private static final double TOLERANCE = 1e-5;

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", Optimizer.sgd(), false),
                Arguments.of("sgd with momentum, clipped", Optimizer.sgd(0.9, true, 1e-4), true),
                Arguments.of("adam", Optimizer.adam(), false),
                Arguments.of("adamW, clipped", Optimizer.adamW(1e-2), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void gradientsFedBackGiveTheFusedStepsWeights(String name, Optimizer optimizer, boolean clip) {
        Digits digits = Digits.load();
        List<Integer> rows = digits.split(0.5, 3).get(0);
        Model model = Mlps.mlp(5, Digits.FEATURES, 32, Digits.CLASSES);
        try (TrainingSession fused = session(model, optimizer, clip, false);
             TrainingSession split = session(model, optimizer, clip, true)) {
            for (int step = 0; step < STEPS; step++) {
                Map<String, Tensor> batch = digits.batch(rows, step * BATCH, (step + 1) * BATCH);
                StepResult expected = fused.step(batch);
                Gradients gradients = split.computeGradients(batch);
                StepResult actual = split.applyGradients(gradients);
                assertEquals(expected.loss(), actual.loss(), "loss at step " + step);
                assertEquals(expected.gradientNorm().isPresent(), actual.gradientNorm().isPresent());
                if (clip) {
                    assertEquals(expected.gradientNorm().getAsDouble(), actual.gradientNorm().getAsDouble(),
                            "gradient norm at step " + step);
                }
            }
            assertEquals(STEPS, split.stepCount());
            // Both halves are cut from the fused graph op for op, and ONNX Runtime runs the same
            // kernels in the same order on them: the weights agree to the bit, not just closely.
            assertEquals(0, maxDifference(fused.weights(), split.weights()), name + ": weights differ");
            double moved = maxDifference(initialWeights(model), split.weights());
            assertTrue(moved > 1e-3, name + ": the weights moved by at most " + moved);
        }
    }

    @Test
    void gradientsAreAppliedOnlyAtTheirOwnStep() {
        Digits digits = Digits.load();
        List<Integer> rows = digits.split(0.5, 3).get(0);
        try (TrainingSession split = session(Mlps.mlp(5, Digits.FEATURES, 32, Digits.CLASSES), Optimizer.adam(),
                false, true)) {
            Gradients first = split.computeGradients(digits.batch(rows, 0, BATCH));
            split.applyGradients(first);
            Map<String, Tensor> before = split.weights();
            TrainingException stale = assertThrows(TrainingException.class, () -> split.applyGradients(first));
            assertEquals("model 'mlp': gradients for step 0 cannot be applied at step 1", stale.getMessage());
            Gradients second = split.computeGradients(digits.batch(rows, BATCH, 2 * BATCH));
            Map<String, Tensor> missing = Map.of("w1", second.values().get("w1"));
            TrainingException partial = assertThrows(TrainingException.class,
                    () -> split.applyGradients(second.with(second.loss(), missing)));
            assertTrue(partial.getMessage().contains("gradients are given for [w1], the trainable weights are "
                    + "[w1, b1, w2, b2]"), partial.getMessage());
            assertEquals(0, maxDifference(before, split.weights()), "a refused update changes nothing");
            assertEquals(1, split.stepCount());
        }
    }

    @Test
    void aFusedSessionHasNoHalves() {
        Digits digits = Digits.load();
        try (TrainingSession fused = session(Mlps.mlp(5, Digits.FEATURES, 32, Digits.CLASSES), Optimizer.sgd(),
                false, false)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> fused.computeGradients(digits.batch(List.of(0, 1), 0, 2)));
            assertEquals("computeGradients needs a session built with splitStep(); model 'mlp' has a fused step",
                    refused.getMessage());
        }
    }

    /**
     * The data-parallel identity the split step exists for: the size-weighted mean of two
     * uneven halves' gradients, applied, is the step on the whole batch (cross-entropy is a
     * mean over the batch). Float32 sums over 20 and 12 rows instead of 32 differ in the last
     * bits, so the same tolerance holds.
     */
    @Test
    void weightedMeanOfHalfBatchGradientsStepsAsTheWholeBatch() {
        Digits digits = Digits.load();
        List<Integer> rows = digits.split(0.5, 3).get(0);
        Model model = Mlps.mlp(5, Digits.FEATURES, 32, Digits.CLASSES);
        try (TrainingSession whole = session(model, Optimizer.adamW(1e-2), false, false);
             TrainingSession halves = session(model, Optimizer.adamW(1e-2), false, true)) {
            for (int step = 0; step < STEPS; step++) {
                int from = step * BATCH;
                whole.step(digits.batch(rows, from, from + BATCH));
                Gradients first = halves.computeGradients(digits.batch(rows, from, from + 20));
                Gradients second = halves.computeGradients(digits.batch(rows, from + 20, from + BATCH));
                Map<String, Tensor> mean = new LinkedHashMap<>();
                for (String weight : first.values().keySet()) {
                    float[] a = first.values().get(weight).toFloatArray();
                    float[] b = second.values().get(weight).toFloatArray();
                    float[] averaged = new float[a.length];
                    for (int i = 0; i < a.length; i++) {
                        averaged[i] = (20 * a[i] + 12 * b[i]) / BATCH;
                    }
                    mean.put(weight, Tensor.ofFloats(weight, first.values().get(weight).dims(), averaged));
                }
                halves.applyGradients(first.with((20 * first.loss() + 12 * second.loss()) / BATCH, mean));
            }
            double largest = maxDifference(whole.weights(), halves.weights());
            assertTrue(largest <= TOLERANCE, "weights differ by up to " + largest);
        }
    }

    private static Map<String, Tensor> initialWeights(Model model) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (String name : Mlps.WEIGHTS) {
            weights.put(name, model.graph().initializers().get(name).initializer());
        }
        return weights;
    }

    private TrainingSession session(Model model, Optimizer optimizer, boolean clip, boolean split) {
        TrainingSession.Builder builder = TrainingSession.builder(model, "logits")
                .loss(Loss.crossEntropy())
                .trainable(Mlps.WEIGHTS)
                .optimizer(optimizer)
                .schedule(LearningRateSchedule.warmup(3, LearningRateSchedule.constant(1e-2)));
        if (clip) {
            builder.clipGradientNorm(0.5);
        }
        if (split) {
            builder.splitStep();
        }
        return builder.build(runtime);
    }

    private static double maxDifference(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        double largest = 0;
        for (String name : expected.keySet()) {
            float[] a = expected.get(name).toFloatArray();
            float[] b = actual.get(name).toFloatArray();
            for (int i = 0; i < a.length; i++) {
                largest = Math.max(largest, Math.abs(a[i] - b[i]));
            }
        }
        return largest;
    }
}
