package dev.tern.train;

/**
 * The learning rate for each step, computed in Java and fed to the training graph as a scalar
 * input, so changing it never recompiles anything. Steps count from 0. Schedules compose:
 * {@code warmup(100, cosine(1e-3, 900, 0))} warms up linearly for 100 steps, then decays
 * over the next 900.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /** The learning rate for step {@code step} (0-based). */
    double rate(long step);

    /**
     * The same rate at every step.
     *
     * @throws IllegalArgumentException if {@code rate} is negative or not finite
     */
    static LearningRateSchedule constant(double rate) {
        requireRate(rate);
        return step -> rate;
    }

    /**
     * {@code initial * gamma^floor(step / every)}, as PyTorch's {@code StepLR}.
     *
     * @throws IllegalArgumentException if {@code initial} or {@code gamma} is negative, or
     *     {@code every} is below 1
     */
    static LearningRateSchedule stepDecay(double initial, long every, double gamma) {
        requireRate(initial);
        requireRate(gamma);
        if (every < 1) {
            throw new IllegalArgumentException("a step decay needs a period of at least 1 step, found " + every);
        }
        return step -> initial * Math.pow(gamma, step / every);
    }

    /**
     * Cosine annealing from {@code initial} at step 0 to {@code minimum} at step
     * {@code steps}, then {@code minimum}, as PyTorch's {@code CosineAnnealingLR} without
     * restarts.
     *
     * @throws IllegalArgumentException if a rate is negative or {@code steps} is below 1
     */
    static LearningRateSchedule cosine(double initial, long steps, double minimum) {
        requireRate(initial);
        requireRate(minimum);
        if (steps < 1) {
            throw new IllegalArgumentException("a cosine schedule needs at least 1 step, found " + steps);
        }
        return step -> step >= steps
                ? minimum
                : minimum + (initial - minimum) * (1 + Math.cos(Math.PI * step / steps)) / 2;
    }

    /**
     * A linear warm-up over {@code steps} steps to {@code after}'s first rate: step {@code k}
     * gets {@code after.rate(0) * (k + 1) / (steps + 1)}; from step {@code steps} on,
     * {@code after} runs from its own step 0.
     *
     * @throws IllegalArgumentException if {@code steps} is negative
     */
    static LearningRateSchedule warmup(long steps, LearningRateSchedule after) {
        if (steps < 0) {
            throw new IllegalArgumentException("a warm-up needs 0 or more steps, found " + steps);
        }
        return step -> step < steps ? after.rate(0) * (step + 1) / (steps + 1) : after.rate(step - steps);
    }

    private static void requireRate(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("a learning rate (or factor) must be finite and 0 or more, found " + rate);
        }
    }
}
