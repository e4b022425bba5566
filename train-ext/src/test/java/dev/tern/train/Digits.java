package dev.tern.train;

import dev.tern.ir.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The digits data set shipped in {@code data/digits.csv} (1,797 8x8 images, grey levels 0-16,
 * labels 0-9). Features are scaled to [0, 1].
 */
final class Digits {
    static final int FEATURES = 64;
    static final int CLASSES = 10;

    private final float[][] features;
    private final long[] labels;

    private Digits(float[][] features, long[] labels) {
        this.features = features;
        this.labels = labels;
    }

    static Digits load() {
        Path file = DataSets.file("digits.csv");
        try {
            List<String> lines = Files.readAllLines(file);
            float[][] features = new float[lines.size() - 1][FEATURES];
            long[] labels = new long[lines.size() - 1];
            for (int row = 0; row < labels.length; row++) {
                String[] cells = lines.get(row + 1).split(",");
                for (int column = 0; column < FEATURES; column++) {
                    features[row][column] = Float.parseFloat(cells[column]) / 16f;
                }
                labels[row] = Long.parseLong(cells[FEATURES]);
            }
            return new Digits(features, labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int size() {
        return labels.length;
    }

    /** Row indices shuffled with {@code seed}: the first {@code 1 - validationFraction} for training, the rest for validation. */
    List<List<Integer>> split(double validationFraction, long seed) {
        List<Integer> rows = new ArrayList<>();
        for (int row = 0; row < size(); row++) {
            rows.add(row);
        }
        Collections.shuffle(rows, new Random(seed));
        int training = (int) Math.round(size() * (1 - validationFraction));
        return List.of(List.copyOf(rows.subList(0, training)), List.copyOf(rows.subList(training, size())));
    }

    /** Rows {@code from} (inclusive) to {@code to} of {@code order} as a batch {x [n, 64], target [n]}. */
    Map<String, Tensor> batch(List<Integer> order, int from, int to) {
        int count = to - from;
        float[] x = new float[count * FEATURES];
        long[] target = new long[count];
        for (int i = 0; i < count; i++) {
            int row = order.get(from + i);
            System.arraycopy(features[row], 0, x, i * FEATURES, FEATURES);
            target[i] = labels[row];
        }
        return Map.of("x", Tensor.ofFloats("x", new long[] {count, FEATURES}, x),
                "target", Tensor.ofLongs("target", new long[] {count}, target));
    }
}
