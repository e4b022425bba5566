package dev.tern.train.internal;

import dev.tern.ir.Tensor;

import java.util.Arrays;

/**
 * Sums the errors of a regression's predictions against float targets of the same shape,
 * batch by batch, for the root mean squared error and the mean absolute error over every
 * target element.
 */
public final class RegressionErrors {
    private double squares;
    private double absolutes;
    private long count;

    /** Whether {@code prediction} and {@code targets} look like regression: floating-point tensors of the same shape. */
    public static boolean applies(Tensor prediction, Tensor targets) {
        return FloatingValues.isFloating(prediction) && FloatingValues.isFloating(targets)
                && Arrays.equals(prediction.dims(), targets.dims());
    }

    /** Adds one batch, which {@link #applies} to. */
    public void add(Tensor prediction, Tensor targets) {
        double[] predicted = FloatingValues.of(prediction);
        double[] expected = FloatingValues.of(targets);
        for (int i = 0; i < predicted.length; i++) {
            double error = predicted[i] - expected[i];
            squares += error * error;
            absolutes += Math.abs(error);
        }
        count += predicted.length;
    }

    /** The mean squared error of the batches added; NaN before the first. */
    public double meanSquared() {
        return squares / count;
    }

    /** The mean absolute error of the batches added; NaN before the first. */
    public double meanAbsolute() {
        return absolutes / count;
    }
}
