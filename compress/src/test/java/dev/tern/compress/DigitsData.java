package dev.tern.compress;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Tensor;
import dev.tern.train.data.Dataset;
import java.nio.file.Path;

/** The checkout's digits data set and the accuracy the compression tests score on it. */
public final class DigitsData {
    private DigitsData() {
    }

    /** {@code data/digits.csv} of the checkout; Maven's Surefire names the checkout in {@code tern.root}. */
    public static Path file() {
        String root = System.getProperty("tern.root");
        assertTrue(root != null, "system property tern.root (the checkout's root) is not set; run the tests through Maven");
        return Path.of(root, "data", "digits.csv");
    }

    /** Each row's class: the index of its largest score in {@code scores} ({@code [rows, classes]}). */
    public static long[] predictedClasses(Tensor scores) {
        return predictedClasses(scores.toFloatArray(), Math.toIntExact(scores.dims()[1]));
    }

    /** Each row's class: the index of its largest score in {@code scores}, {@code classes} per row. */
    public static long[] predictedClasses(float[] scores, int classes) {
        long[] predicted = new long[scores.length / classes];
        for (int row = 0; row < predicted.length; row++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (scores[row * classes + c] > scores[row * classes + best]) {
                    best = c;
                }
            }
            predicted[row] = best;
        }
        return predicted;
    }

    /** The share of {@code data}'s rows whose class is {@code predicted}'s, row by row. */
    public static double accuracy(long[] predicted, Dataset data) {
        int correct = 0;
        for (int row = 0; row < predicted.length; row++) {
            if (predicted[row] == data.classLabel(row)) {
                correct++;
            }
        }
        return (double) correct / predicted.length;
    }
}
