package dev.tern.train.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;

import java.util.Arrays;

/**
 * Counts right answers of a classifier: the largest score of each row against the true class,
 * given as an int64 index or as a float row of class probabilities (one-hot, or mixed as by
 * mixup), whose largest entry is the class.
 */
public final class ClassificationCounts {
    /** How far a probability row's sum may stray from 1 in float32 arithmetic. */
    private static final double SUM_TOLERANCE = 1e-4;

    private ClassificationCounts() {
    }

    /**
     * Whether {@code prediction} and {@code labels} look like classification: scores
     * {@code [n, classes]} of float or double, and either int64 class indices {@code [n]} or
     * floating-point rows of the scores' shape that are each a probability distribution.
     */
    public static boolean applies(Tensor prediction, Tensor labels) {
        if (prediction.rank() != 2 || !FloatingValues.isFloating(prediction)) {
            return false;
        }
        if (labels.elementType() == ElementType.INT64) {
            return labels.rank() == 1 && prediction.dims()[0] == labels.dims()[0];
        }
        return FloatingValues.isFloating(labels) && Arrays.equals(prediction.dims(), labels.dims())
                && areDistributions(FloatingValues.of(labels), (int) labels.dims()[1]);
    }

    /** The number of rows whose largest score is at the true class; ties go to the lower index. */
    public static int correct(Tensor prediction, Tensor labels) {
        int width = (int) prediction.dims()[1];
        double[] scores = FloatingValues.of(prediction);
        long[] classes = labels.elementType() == ElementType.INT64 ? labels.toLongArray()
                : largestPerRow(FloatingValues.of(labels), width);
        long[] predicted = largestPerRow(scores, width);
        int correct = 0;
        for (int row = 0; row < classes.length; row++) {
            if (predicted[row] == classes[row]) {
                correct++;
            }
        }
        return correct;
    }

    private static long[] largestPerRow(double[] values, int width) {
        long[] largest = new long[values.length / width];
        for (int row = 0; row < largest.length; row++) {
            int best = 0;
            for (int c = 1; c < width; c++) {
                if (values[row * width + c] > values[row * width + best]) {
                    best = c;
                }
            }
            largest[row] = best;
        }
        return largest;
    }

    private static boolean areDistributions(double[] rows, int width) {
        for (int row = 0; row < rows.length / width; row++) {
            double sum = 0;
            for (int c = 0; c < width; c++) {
                double p = rows[row * width + c];
                if (!(p >= 0)) {
                    return false;
                }
                sum += p;
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                return false;
            }
        }
        return true;
    }
}
