package dev.tern.train;

import dev.tern.exec.SessionConfig;
import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each optimizer's graph update against a plain-Java implementation of PyTorch's update rule,
 * step by step, on {@link LinearProblem}. The reference runs in double precision from the
 * same float32 start; 1e-6 leaves room for float32 rounding in the graph over three steps
 * with weights of order 1, while any error in a rule (a missed bias correction, momentum
 * term or decay) moves weights by at least 1e-4 here.
 */
class OptimizerTest extends RuntimeExtension {
    private static final double LEARNING_RATE = 0.05;
    private static final int STEPS = 3;

    /** One parameter tensor's update with its state; mutates {@code p} and {@code state}. */
    private interface Reference {
        void update(double[] p, double[] g, double[][] state, long step);
    }

    private static Reference sgd(double momentum, boolean nesterov, double weightDecay) {
        return (p, g, state, step) -> {
            for (int i = 0; i < p.length; i++) {
                double d = g[i] + weightDecay * p[i];
                if (momentum > 0) {
                    state[0][i] = momentum * state[0][i] + d;
                    d = nesterov ? d + momentum * state[0][i] : state[0][i];
                }
                p[i] -= LEARNING_RATE * d;
            }
        };
    }

    private static Reference adam(double weightDecay, boolean decoupled) {
        double beta1 = 0.9;
        double beta2 = 0.999;
        return (p, g, state, step) -> {
            double correction1 = 1 - Math.pow(beta1, step);
            double correction2 = 1 - Math.pow(beta2, step);
            for (int i = 0; i < p.length; i++) {
                double d = decoupled ? g[i] : g[i] + weightDecay * p[i];
                if (decoupled) {
                    p[i] *= 1 - LEARNING_RATE * weightDecay;
                }
                state[0][i] = beta1 * state[0][i] + (1 - beta1) * d;
                state[1][i] = beta2 * state[1][i] + (1 - beta2) * d * d;
                double denominator = Math.sqrt(state[1][i]) / Math.sqrt(correction2) + 1e-8;
                p[i] -= LEARNING_RATE / correction1 * state[0][i] / denominator;
            }
        };
    }

    private static void assertMatchesReference(Optimizer optimizer, Reference reference) {
        LinearProblem problem = new LinearProblem(5);
        double[][] weights = problem.initialWeights();
        double[][][] state = new double[2][2][];
        for (int tensor = 0; tensor < 2; tensor++) {
            state[tensor] = new double[][] {new double[weights[tensor].length], new double[weights[tensor].length]};
        }
        try (TrainingSession session = session(problem, optimizer)) {
            for (long step = 1; step <= STEPS; step++) {
                double[][] gradients = problem.gradients(weights);
                for (int tensor = 0; tensor < 2; tensor++) {
                    reference.update(weights[tensor], gradients[tensor], state[tensor], step);
                }
                session.step(problem.batch());
                Map<String, Tensor> trained = session.weights();
                assertArrayEquals(weights[0], LinearProblem.toDoubles(trained.get("w").toFloatArray()), 1e-6,
                        optimizer + " w after step " + step);
                assertArrayEquals(weights[1], LinearProblem.toDoubles(trained.get("b").toFloatArray()), 1e-6,
                        optimizer + " b after step " + step);
            }
        }
    }

    private static TrainingSession session(LinearProblem problem, Optimizer optimizer) {
        return TrainingSession.builder(problem.model(), "y")
                .loss(Loss.meanSquaredError())
                .trainable(List.of("w", "b"))
                .optimizer(optimizer)
                .schedule(LearningRateSchedule.constant(LEARNING_RATE))
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                .build(runtime);
    }

    @Test
    void plainSgdMatchesTheReference() {
        assertMatchesReference(Optimizer.sgd(), sgd(0, false, 0));
    }

    @Test
    void sgdWithMomentumAndWeightDecayMatchesTheReference() {
        assertMatchesReference(Optimizer.sgd(0.9, false, 0.01), sgd(0.9, false, 0.01));
    }

    @Test
    void nesterovSgdMatchesTheReference() {
        assertMatchesReference(Optimizer.sgd(0.9, true, 0), sgd(0.9, true, 0));
    }

    @Test
    void adamMatchesTheReference() {
        assertMatchesReference(Optimizer.adam(), adam(0, false));
    }

    @Test
    void adamWithL2WeightDecayMatchesTheReference() {
        assertMatchesReference(new Optimizer.Adam(0.9, 0.999, 1e-8, 0.1, false), adam(0.1, false));
    }

    @Test
    void adamWDecouplesWeightDecayAndMatchesTheReference() {
        assertMatchesReference(Optimizer.adamW(0.1), adam(0.1, true));
    }

    @Test
    void everyOptimizerLowersTheLoss() {
        for (Optimizer optimizer : List.of(Optimizer.sgd(), Optimizer.sgd(0.9, true, 1e-3), Optimizer.adam(),
                Optimizer.adamW(0.01))) {
            LinearProblem problem = new LinearProblem(9);
            try (TrainingSession session = session(problem, optimizer)) {
                double first = session.step(problem.batch()).loss();
                double last = first;
                for (int step = 0; step < 50; step++) {
                    last = session.step(problem.batch()).loss();
                }
                assertTrue(last < first / 2, optimizer + ": loss went from " + first + " to " + last);
                assertEquals(51, session.stepCount());
            }
        }
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(-0.1, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Optimizer.Adam(1.0, 0.999, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Optimizer.Adam(0.9, 0.999, 0, 0, false));
    }
}
