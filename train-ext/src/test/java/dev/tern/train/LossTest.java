package dev.tern.train;

import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each loss's value against a plain-Java formula, on a model whose prediction is a trainable
 * initializer, so the loss sees exactly the numbers the test chose; then a few SGD steps must
 * lower it, which exercises its gradient. Batch sizes vary to show the symbolic batch works.
 * Tolerance 1e-5: float32 sums of a few dozen terms of order 1.
 */
class LossTest extends RuntimeExtension {
    private static final int CLASSES = 4;

    /** prediction = x * scale, x [batch, CLASSES] fed, scale [CLASSES] trainable: a prediction the test controls. */
    private static Model scaled() {
        GraphBuilder g = GraphBuilder.create("scaled");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(CLASSES));
        Value scale = g.initializer(Tensor.ofFloats("scale", new long[] {CLASSES}, 1, 1, 1, 1));
        g.output(g.op("Mul", x, scale), "prediction");
        return g.toModel(17);
    }

    private static float[] random(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static TrainingSession session(Loss loss) {
        return TrainingSession.builder(scaled(), "prediction")
                .loss(loss)
                .trainable(List.of("scale"))
                .optimizer(Optimizer.sgd())
                .schedule(LearningRateSchedule.constant(0.1))
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                .build(runtime);
    }

    /** The loss equals {@code expected} on the batch, and 20 SGD steps lower it. */
    private static void check(Loss loss, Map<String, Tensor> batch, double expected) {
        try (TrainingSession session = session(loss)) {
            double before = session.evaluate(batch).loss();
            assertEquals(expected, before, 1e-5, loss.toString());
            for (int step = 0; step < 20; step++) {
                session.step(batch);
            }
            double after = session.evaluate(batch).loss();
            assertTrue(after < before, loss + ": loss went from " + before + " to " + after);
        }
    }

    private static Map<String, Tensor> batch(float[] x, Tensor target) {
        return Map.of("x", Tensor.ofFloats("x", new long[] {x.length / CLASSES, CLASSES}, x), "target", target);
    }

    @Test
    void meanSquaredErrorAndL1AverageOverEveryElement() {
        Random random = new Random(1);
        float[] x = random(random, 5 * CLASSES);
        float[] y = random(random, 5 * CLASSES);
        double squares = 0;
        double absolutes = 0;
        for (int i = 0; i < x.length; i++) {
            squares += (x[i] - y[i]) * (x[i] - y[i]);
            absolutes += Math.abs(x[i] - y[i]);
        }
        Tensor target = Tensor.ofFloats("target", new long[] {5, CLASSES}, y);
        check(Loss.meanSquaredError(), batch(x, target), squares / x.length);
        check(Loss.l1(), batch(x, target), absolutes / x.length);
    }

    @Test
    void crossEntropyWithAndWithoutLabelSmoothing() {
        Random random = new Random(2);
        int rows = 6;
        float[] logits = random(random, rows * CLASSES);
        long[] labels = new long[rows];
        for (int row = 0; row < rows; row++) {
            labels[row] = random.nextInt(CLASSES);
        }
        Tensor target = Tensor.ofLongs("target", new long[] {rows}, labels);
        for (double smoothing : new double[] {0, 0.1}) {
            double total = 0;
            for (int row = 0; row < rows; row++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < CLASSES; c++) {
                    max = Math.max(max, logits[row * CLASSES + c]);
                }
                double sum = 0;
                for (int c = 0; c < CLASSES; c++) {
                    sum += Math.exp(logits[row * CLASSES + c] - max);
                }
                double logSum = max + Math.log(sum);
                double meanNegativeLogP = 0;
                for (int c = 0; c < CLASSES; c++) {
                    meanNegativeLogP += (logSum - logits[row * CLASSES + c]) / CLASSES;
                }
                // PyTorch's label_smoothing: (1 - s) * nll + s * mean over classes of -log p.
                total += (1 - smoothing) * (logSum - logits[row * CLASSES + (int) labels[row]])
                        + smoothing * meanNegativeLogP;
            }
            check(Loss.crossEntropy(smoothing), batch(logits, target), total / rows);
        }
    }

    /** Mixed targets {@code w e_a + (1 - w) e_b} give {@code w CE(a) + (1 - w) CE(b)}, cross-entropy being linear in the target. */
    @Test
    void softCrossEntropyOnMixedOneHotRowsIsTheMixOfTheTwoCrossEntropies() {
        Random random = new Random(6);
        int rows = 5;
        float[] logits = random(random, rows * CLASSES);
        float[] targets = new float[rows * CLASSES];
        double total = 0;
        for (int row = 0; row < rows; row++) {
            int first = random.nextInt(CLASSES);
            int second = random.nextInt(CLASSES);
            float weight = random.nextFloat();
            targets[row * CLASSES + first] += weight;
            targets[row * CLASSES + second] += 1 - weight;
            double logSum = 0;
            for (int c = 0; c < CLASSES; c++) {
                logSum += Math.exp(logits[row * CLASSES + c]);
            }
            logSum = Math.log(logSum);
            total += weight * (logSum - logits[row * CLASSES + first])
                    + (1 - weight) * (logSum - logits[row * CLASSES + second]);
        }
        check(Loss.softCrossEntropy(), batch(logits, Tensor.ofFloats("target", new long[] {rows, CLASSES}, targets)),
                total / rows);
    }

    @Test
    void binaryCrossEntropyWithLogitsIsStableForLargeLogits() {
        Random random = new Random(3);
        float[] x = random(random, 3 * CLASSES);
        x[0] = 40;
        x[1] = -40;
        float[] y = new float[x.length];
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            y[i] = random.nextFloat();
            // Written with log1p forms so the reference itself stays finite at +-40.
            double logP = x[i] >= 0 ? -Math.log1p(Math.exp(-x[i])) : x[i] - Math.log1p(Math.exp(x[i]));
            double logOneMinusP = logP - x[i];
            total += -(y[i] * logP + (1 - y[i]) * logOneMinusP);
        }
        check(Loss.binaryCrossEntropyWithLogits(), batch(x, Tensor.ofFloats("target", new long[] {3, CLASSES}, y)),
                total / x.length);
    }

    @Test
    void elementwiseLossesOnOneHotClassLabels() {
        Random random = new Random(5);
        int rows = 6;
        float[] x = random(random, rows * CLASSES);
        long[] labels = new long[rows];
        float[] oneHot = new float[rows * CLASSES];
        for (int row = 0; row < rows; row++) {
            labels[row] = random.nextInt(CLASSES);
            oneHot[row * CLASSES + (int) labels[row]] = 1;
        }
        double squares = 0;
        double absolutes = 0;
        double binary = 0;
        for (int i = 0; i < x.length; i++) {
            squares += (x[i] - oneHot[i]) * (x[i] - oneHot[i]);
            absolutes += Math.abs(x[i] - oneHot[i]);
            binary += Math.max(x[i], 0) - x[i] * oneHot[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
        }
        Map<String, Tensor> batch = batch(x, Tensor.ofLongs("target", new long[] {rows}, labels));
        check(Loss.oneHotTargets(Loss.meanSquaredError()), batch, squares / x.length);
        check(Loss.oneHotTargets(Loss.l1()), batch, absolutes / x.length);
        check(Loss.oneHotTargets(Loss.binaryCrossEntropyWithLogits()), batch, binary / x.length);
        assertThrows(IllegalArgumentException.class, () -> Loss.oneHotTargets(Loss.crossEntropy()));
    }

    @Test
    void customLossGraphIsInlined() {
        // Half the sum of squared errors per row, averaged over rows, with a constant of its own.
        GraphBuilder g = GraphBuilder.create("half_sse");
        Value prediction = g.input("prediction", ElementType.FLOAT, Dim.of("batch"), Dim.of(CLASSES));
        Value target = g.input("target", ElementType.FLOAT, Dim.of("batch"), Dim.of(CLASSES));
        Value error = g.op("Sub", prediction, target);
        Value half = g.initializer(Tensor.ofFloats("half", new long[0], 0.5f));
        Value perRow = g.node("ReduceSum").inputs(g.op("Mul", error, error), g.initializer(
                Tensor.ofLongs("axis", new long[] {1}, 1))).attr("keepdims", 0L).output();
        g.output(g.op("Mul", g.op("ReduceMean", perRow), half), "loss");
        Graph lossGraph = g.build();
        Random random = new Random(4);
        float[] x = random(random, 3 * CLASSES);
        float[] y = random(random, 3 * CLASSES);
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += (x[i] - y[i]) * (x[i] - y[i]);
        }
        check(Loss.custom(lossGraph), batch(x, Tensor.ofFloats("target", new long[] {3, CLASSES}, y)), 0.5 * sum / 3);
    }

    @Test
    void badLossConfigurationsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(1.0));
        TrainingException clash = assertThrows(TrainingException.class, () -> TrainingSession.builder(scaled(), "prediction")
                .loss(Loss.l1()).targetInput("scale").trainable(List.of("scale")).optimizer(Optimizer.sgd())
                .schedule(LearningRateSchedule.constant(0.1)).build(runtime));
        assertTrue(clash.getMessage().contains("already uses the name 'scale'"), clash.getMessage());
        TrainingException missing = assertThrows(TrainingException.class, () -> TrainingSession.builder(scaled(), "logits")
                .loss(Loss.l1()).trainable(List.of("scale")).optimizer(Optimizer.sgd())
                .schedule(LearningRateSchedule.constant(0.1)).build(runtime));
        assertTrue(missing.getMessage().contains("no output named 'logits'"), missing.getMessage());
        assertEquals(0, runtime.openModels(), "failed builds leave nothing compiled");
    }
}
