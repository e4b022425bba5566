package dev.tern.train;

import dev.tern.ir.Tensor;

import java.util.Arrays;

/**
 * A classifier's verdict on generated samples: how many it puts in some class with a softmax
 * probability of at least 0.9, and how many of those fall in each class.
 *
 * @param confident the samples classified with probability 0.9 or more
 * @param perClass the confident samples of each class
 */
record Judgement(int confident, int[] perClass) {
    static final double CONFIDENCE = 0.9;

    /** Judges each row of {@code logits} [samples, classes]. */
    static Judgement of(Tensor logits) {
        int rows = (int) logits.dims()[0];
        int classes = (int) logits.dims()[1];
        float[] values = logits.toFloatArray();
        int[] perClass = new int[classes];
        int confident = 0;
        for (int row = 0; row < rows; row++) {
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                if (values[row * classes + c] > max) {
                    max = values[row * classes + c];
                    best = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(values[row * classes + c] - max);
            }
            if (1 / sum >= CONFIDENCE) {
                confident++;
                perClass[best]++;
            }
        }
        return new Judgement(confident, perClass);
    }

    @Override
    public String toString() {
        return confident + " confident, per class " + Arrays.toString(perClass);
    }
}
