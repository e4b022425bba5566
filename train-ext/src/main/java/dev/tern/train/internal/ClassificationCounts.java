package dev.tern.train.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;

/** Counts right answers of a classifier: the largest score of each row against the true class index. */
public final class ClassificationCounts {
    private ClassificationCounts() {
    }

    /**
     * Whether {@code prediction} and {@code labels} look like classification: scores
     * {@code [n, classes]} of float or double, and int64 class indices {@code [n]}.
     */
    public static boolean applies(Tensor prediction, Tensor labels) {
        return labels.elementType() == ElementType.INT64 && labels.rank() == 1 && prediction.rank() == 2
                && prediction.dims()[0] == labels.dims()[0]
                && FloatingValues.isFloating(prediction);
    }

    /** The number of rows whose largest score is at the labelled class; ties go to the lower index. */
    public static int correct(Tensor prediction, Tensor labels) {
        double[] scores = FloatingValues.of(prediction);
        long[] classes = labels.toLongArray();
        int width = (int) prediction.dims()[1];
        int correct = 0;
        for (int row = 0; row < classes.length; row++) {
            int best = 0;
            for (int c = 1; c < width; c++) {
                if (scores[row * width + c] > scores[row * width + best]) {
                    best = c;
                }
            }
            if (best == classes[row]) {
                correct++;
            }
        }
        return correct;
    }
}
