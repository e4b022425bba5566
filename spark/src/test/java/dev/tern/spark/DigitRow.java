package dev.tern.spark;

import dev.tern.ir.Tensor;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One row of {@code data/digits.csv} (an 8x8 image, grey levels scaled to [0, 1], and its
 * label 0-9), and the batches a training step feeds: {@code input [n, 64]} and {@code target [n]}.
 */
public record DigitRow(float[] pixels, long label) implements Serializable {
    public static final int FEATURES = 64;
    public static final int CLASSES = 10;

    /** Every row of the file, shuffled with {@code seed}. */
    public static List<DigitRow> shuffled(long seed) {
        Path file = Path.of(System.getProperty("tern.root", ".."), "data", "digits.csv");
        try {
            List<String> lines = Files.readAllLines(file);
            List<DigitRow> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                float[] pixels = new float[FEATURES];
                for (int i = 0; i < FEATURES; i++) {
                    pixels[i] = Float.parseFloat(cells[i]) / 16f;
                }
                rows.add(new DigitRow(pixels, Long.parseLong(cells[FEATURES])));
            }
            Collections.shuffle(rows, new Random(seed));
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The batch of {@code rows}, in their order: a {@link BatchAssembler} for {@link DistributedTrainer}. */
    public static Map<String, Tensor> batch(List<DigitRow> rows) {
        float[] x = new float[rows.size() * FEATURES];
        long[] target = new long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).pixels(), 0, x, i * FEATURES, FEATURES);
            target[i] = rows.get(i).label();
        }
        return Map.of("input", Tensor.ofFloats("input", new long[] {rows.size(), FEATURES}, x),
                "target", Tensor.ofLongs("target", new long[] {rows.size()}, target));
    }
}
