package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Losses summed from weighted terms over named outputs: each term's value and the total
 * against plain-Java formulas, on a model whose two outputs are the fed input times trainable
 * scales. Tolerance 1e-5: float32 sums of a few dozen terms of order 1.
 */
class LossTermsTest extends RuntimeExtension {
    private static final int WIDTH = 3;
    private static final int BATCH = 5;

    /** mu = x * a and logvar = x * b, x [batch, 3] fed, a and b [3] trainable. */
    private static Model twoOutputs() {
        GraphBuilder g = GraphBuilder.create("two_outputs");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(WIDTH));
        Value a = g.initializer(Tensor.ofFloats("a", new long[] {WIDTH}, 1.0f, 0.5f, -0.5f));
        Value b = g.initializer(Tensor.ofFloats("b", new long[] {WIDTH}, 0.2f, -0.3f, 0.1f));
        g.output(g.op("Mul", x, a), "mu");
        g.output(g.op("Mul", x, b), "logvar");
        return g.toModel(17);
    }

    private static TrainingSession session(LossTerms loss) {
        return session(loss, List.of("a", "b"));
    }

    private static TrainingSession session(LossTerms loss, List<String> trainable) {
        return TrainingSession.builder(twoOutputs())
                .loss(loss)
                .trainable(trainable)
                .optimizer(Optimizer.sgd())
                .schedule(LearningRateSchedule.constant(0.05))
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                .build(runtime);
    }

    private static float[] gaussian(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    @Test
    void theLossIsTheWeightedSumOfItsTermsAndEachTermIsReported() {
        Random random = new Random(3);
        float[] x = gaussian(random, BATCH * WIDTH);
        float[] target = gaussian(random, BATCH * WIDTH);
        Map<String, Tensor> batch = Map.of("x", Tensor.ofFloats("x", new long[] {BATCH, WIDTH}, x),
                "target", Tensor.ofFloats("target", new long[] {BATCH, WIDTH}, target));
        float[] a = {1.0f, 0.5f, -0.5f};
        float[] b = {0.2f, -0.3f, 0.1f};
        double squares = 0;
        double kl = 0;
        for (int i = 0; i < x.length; i++) {
            double mu = x[i] * a[i % WIDTH];
            double logVariance = x[i] * b[i % WIDTH];
            squares += (mu - target[i]) * (mu - target[i]);
            kl += -0.5 * (1 + logVariance - mu * mu - Math.exp(logVariance));
        }
        double mse = squares / x.length;
        double klPerExample = kl / BATCH;

        LossTerms loss = Loss.mse("mu", "target").plus(Loss.gaussianKl("mu", "logvar").times(0.25)).times(2);
        try (TrainingSession session = session(loss)) {
            assertEquals(List.of("target"), session.targetColumns());
            Evaluation evaluation = session.evaluate(batch);
            assertEquals(List.of("mu", "kl"), List.copyOf(evaluation.terms().keySet()));
            assertEquals(mse, evaluation.terms().get("mu"), 1e-5);
            assertEquals(klPerExample, evaluation.terms().get("kl"), 1e-5);
            assertEquals(2 * mse + 0.5 * klPerExample, evaluation.loss(), 1e-5);

            StepResult first = session.step(batch);
            assertEquals(evaluation.terms().get("mu"), first.terms().get("mu"), 1e-6, "a step reports the terms before its update");
            assertEquals(evaluation.terms().get("kl"), first.terms().get("kl"), 1e-6);
            assertEquals(evaluation.loss(), first.loss(), 1e-6);
            for (int step = 0; step < 20; step++) {
                session.step(batch);
            }
            assertTrue(session.evaluate(batch).loss() < evaluation.loss(), "20 steps did not lower the loss");
        }
    }

    @Test
    void aTargetNamingAModelInputReadsThatInputAndBatchesFeedNothingMore() {
        Random random = new Random(5);
        float[] x = gaussian(random, BATCH * WIDTH);
        double squares = 0;
        float[] a = {1.0f, 0.5f, -0.5f};
        for (int i = 0; i < x.length; i++) {
            double error = x[i] * a[i % WIDTH] - x[i];
            squares += error * error;
        }
        // Only 'a' reaches the loss through 'mu'; training 'b' too would be refused.
        try (TrainingSession session = session(Loss.mse("mu", "x"), List.of("a"))) {
            assertEquals(List.of(), session.targetColumns());
            Evaluation evaluation = session.evaluate(Map.of("x", Tensor.ofFloats("x", new long[] {BATCH, WIDTH}, x)));
            assertEquals(squares / x.length, evaluation.loss(), 1e-5);
            assertEquals(Map.of("mu", evaluation.loss()), evaluation.terms());
        }
    }

    @Test
    void crossEntropyOverTokenScoresReadsInt64TokenIdsAndAveragesOverEveryPosition() {
        int positions = 3;
        int vocabulary = 4;
        GraphBuilder g = GraphBuilder.create("tokens");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(positions), Dim.of(vocabulary));
        Value scale = g.initializer(Tensor.ofFloats("scale", new long[] {vocabulary}, 1, 1, 1, 1));
        g.output(g.op("Mul", x, scale), "logits");
        Model model = g.toModel(17);
        Random random = new Random(8);
        float[] scores = gaussian(random, BATCH * positions * vocabulary);
        long[] tokens = new long[BATCH * positions];
        double sum = 0;
        for (int position = 0; position < tokens.length; position++) {
            tokens[position] = random.nextInt(vocabulary);
            double normalizer = 0;
            for (int c = 0; c < vocabulary; c++) {
                normalizer += Math.exp(scores[position * vocabulary + c]);
            }
            sum += Math.log(normalizer) - scores[position * vocabulary + (int) tokens[position]];
        }
        try (TrainingSession session = TrainingSession.builder(model).loss(Loss.crossEntropy("logits", "tokens"))
                .trainable(List.of("scale")).optimizer(Optimizer.sgd()).schedule(LearningRateSchedule.constant(0.1))
                .build(runtime)) {
            Map<String, Tensor> batch = Map.of(
                    "x", Tensor.ofFloats("x", new long[] {BATCH, positions, vocabulary}, scores),
                    "tokens", Tensor.ofLongs("tokens", new long[] {BATCH, positions}, tokens));
            assertEquals(sum / tokens.length, session.evaluate(batch).loss(), 1e-5);
        }
    }

    @Test
    void termsNeedDistinctNames() {
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> Loss.mse("mu", "target").plus(Loss.l1("mu", "target")));
        assertTrue(clash.getMessage().contains("two loss terms are named 'mu'"), clash.getMessage());
        assertEquals(List.of("mu", "mu_l1"),
                Loss.mse("mu", "target").plus(Loss.l1("mu", "target").named("mu_l1")).names());
        assertThrows(IllegalStateException.class,
                () -> Loss.mse("mu", "target").plus(Loss.gaussianKl("mu", "logvar")).named("both"));
    }

    @Test
    void badTargetsAndLossKindsAreNamed() {
        TrainingException wrongType = assertThrows(TrainingException.class,
                () -> session(Loss.crossEntropy("mu", "x")));
        assertTrue(wrongType.getMessage().contains("target 'x' to be tensor(int64)"), wrongType.getMessage());
        TrainingException notAnOutput = assertThrows(TrainingException.class,
                () -> session(Loss.mse("sigma", "x")));
        assertTrue(notAnOutput.getMessage().contains("no output named 'sigma'"), notAnOutput.getMessage());
        IllegalStateException singleLoss = assertThrows(IllegalStateException.class, () -> TrainingSession
                .builder(twoOutputs()).loss(Loss.l1()).trainable(List.of("a")).optimizer(Optimizer.sgd())
                .schedule(LearningRateSchedule.constant(0.1)).build(runtime));
        assertTrue(singleLoss.getMessage().contains("needs builder(model, predictionOutput)"), singleLoss.getMessage());
        assertEquals(0, runtime.openModels(), "failed builds leave nothing compiled");
    }
}
