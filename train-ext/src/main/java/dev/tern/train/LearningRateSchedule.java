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

    /**
     * {@code initial * gamma^(step / period)}: multiplied by {@code gamma} over every
     * {@code period} steps, smoothly rather than in stairs (PyTorch's {@code ExponentialLR} is
     * the case {@code period = 1}).
     *
     * @throws IllegalArgumentException if {@code initial} or {@code gamma} is negative or not
     *     finite, or {@code period} is below 1
     */
    static LearningRateSchedule exponential(double initial, double gamma, long period) {
        requireRate(initial);
        requireRate(gamma);
        if (period < 1) {
            throw new IllegalArgumentException("an exponential schedule needs a period of at least 1 step, found " + period);
        }
        return step -> initial * Math.pow(gamma, (double) step / period);
    }

    /**
     * A straight line from {@code initial} at step 0 to {@code last} at step {@code steps},
     * then {@code last}, as PyTorch's {@code LinearLR} with factors {@code 1} and
     * {@code last / initial}.
     *
     * @throws IllegalArgumentException if a rate is negative or not finite, or {@code steps} is below 1
     */
    static LearningRateSchedule linear(double initial, long steps, double last) {
        requireRate(initial);
        requireRate(last);
        if (steps < 1) {
            throw new IllegalArgumentException("a linear schedule needs at least 1 step, found " + steps);
        }
        return step -> step >= steps ? last : initial + (last - initial) * step / steps;
    }

    /**
     * {@link #oneCycle(double, long, double, double, double)} with PyTorch's defaults: 30% of
     * the steps rising, a start at {@code peak / 25} and an end at {@code peak / 25 / 1e4}.
     *
     * @throws IllegalArgumentException as the full form does
     */
    static LearningRateSchedule oneCycle(double peak, long steps) {
        return oneCycle(peak, steps, 0.3, 25, 1e4);
    }

    /**
     * The one-cycle policy of PyTorch's {@code OneCycleLR} (two phases, cosine annealing):
     * from {@code peak / startDivisor} up to {@code peak} at step
     * {@code risingFraction * steps - 1}, then down to {@code peak / startDivisor / endDivisor}
     * at step {@code steps - 1}, and that last rate from then on.
     *
     * @throws IllegalArgumentException if {@code peak} is negative or not finite, {@code steps}
     *     is below 2, {@code risingFraction} is outside (0, 1), or a divisor is below 1
     */
    static LearningRateSchedule oneCycle(double peak, long steps, double risingFraction, double startDivisor,
                                         double endDivisor) {
        requireRate(peak);
        if (steps < 2) {
            throw new IllegalArgumentException("a one-cycle schedule needs at least 2 steps, found " + steps);
        }
        if (!(risingFraction > 0 && risingFraction < 1)) {
            throw new IllegalArgumentException("a one-cycle schedule's rising fraction must be in (0, 1), found "
                    + risingFraction);
        }
        if (!(startDivisor >= 1 && endDivisor >= 1) || Double.isInfinite(startDivisor) || Double.isInfinite(endDivisor)) {
            throw new IllegalArgumentException("a one-cycle schedule's divisors must be finite and 1 or more, found "
                    + startDivisor + " and " + endDivisor);
        }
        double start = peak / startDivisor;
        double end = start / endDivisor;
        double peakStep = risingFraction * steps - 1;
        double lastStep = steps - 1;
        return step -> {
            if (step < peakStep) {
                return cosineBetween(start, peak, step / peakStep);
            }
            return cosineBetween(peak, end, Math.min(1, (step - peakStep) / (lastStep - peakStep)));
        };
    }

    /** Half a cosine from {@code from} at {@code fraction = 0} to {@code to} at 1. */
    private static double cosineBetween(double from, double to, double fraction) {
        return to + (from - to) * (1 + Math.cos(Math.PI * fraction)) / 2;
    }

    private static void requireRate(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("a learning rate (or factor) must be finite and 0 or more, found " + rate);
        }
    }
}
