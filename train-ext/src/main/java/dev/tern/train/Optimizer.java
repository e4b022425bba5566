package dev.tern.train;

/**
 * An update rule built into the training graph in standard {@code ai.onnx} ops, with the
 * semantics of PyTorch's optimizer of the same name. The learning rate is not part of it: a
 * {@link LearningRateSchedule} feeds it every step. State tensors (SGD's {@code momentum},
 * Adam's {@code exp_avg} and {@code exp_avg_sq}) start at zeros, one per weight, named
 * {@code <weight>.<slot>} in checkpoints.
 */
public sealed interface Optimizer {
    /** Plain stochastic gradient descent: {@code p -= lr * g}. */
    static Optimizer sgd() {
        return new Sgd(0, false, 0);
    }

    /**
     * SGD with momentum {@code mu}: {@code g += weightDecay * p; buf = mu * buf + g;
     * p -= lr * (nesterov ? g + mu * buf : buf)}.
     *
     * @throws IllegalArgumentException if a coefficient is negative, or Nesterov is asked for
     *     without momentum
     */
    static Optimizer sgd(double momentum, boolean nesterov, double weightDecay) {
        return new Sgd(momentum, nesterov, weightDecay);
    }

    /** Adam with PyTorch's defaults (betas 0.9 and 0.999, epsilon 1e-8) and no weight decay. */
    static Optimizer adam() {
        return new Adam(0.9, 0.999, 1e-8, 0, false);
    }

    /** AdamW: Adam with PyTorch's defaults and decoupled weight decay {@code p *= 1 - lr * weightDecay}. */
    static Optimizer adamW(double weightDecay) {
        return new Adam(0.9, 0.999, 1e-8, weightDecay, true);
    }

    /**
     * See {@link Optimizer#sgd(double, boolean, double)}.
     *
     * @param weightDecay an L2 term added to the gradient (coupled, as PyTorch's SGD)
     */
    record Sgd(double momentum, boolean nesterov, double weightDecay) implements Optimizer {
        public Sgd {
            requireNonNegative("momentum", momentum);
            requireNonNegative("weight decay", weightDecay);
            if (nesterov && momentum == 0) {
                throw new IllegalArgumentException("Nesterov momentum needs a momentum above 0");
            }
        }
    }

    /**
     * Adam with bias correction: {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g;
     * p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)}, {@code t} the 1-based step.
     *
     * @param weightDecay with {@code decoupled} false, an L2 term added to the gradient (Adam);
     *     with it true, {@code p *= 1 - lr * weightDecay} before the update (AdamW)
     */
    record Adam(double beta1, double beta2, double epsilon, double weightDecay, boolean decoupled)
            implements Optimizer {
        public Adam {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Adam's betas must be in [0, 1), found " + beta1 + " and " + beta2);
            }
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("Adam's epsilon must be above 0, found " + epsilon);
            }
            requireNonNegative("weight decay", weightDecay);
        }
    }

    private static void requireNonNegative(String what, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(what + " must be 0 or more, found " + value);
        }
    }
}
