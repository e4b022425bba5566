package dev.tern.train.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sums a loss and its terms over batches, weighted by batch size, for their means per example
 * over an epoch.
 */
public final class LossSums {
    private final Map<String, Double> termSums = new LinkedHashMap<>();
    private double totalSum;
    private long examples;

    /** Adds one batch of {@code size} examples whose mean loss was {@code total}, and each term's mean. */
    public void add(double total, Map<String, Double> terms, int size) {
        totalSum += total * size;
        terms.forEach((name, value) -> termSums.merge(name, value * size, Double::sum));
        examples += size;
    }

    /** The mean total loss per example; NaN before the first batch. */
    public double meanLoss() {
        return totalSum / examples;
    }

    /** The number of examples added. */
    public long examples() {
        return examples;
    }

    /** {@code PREFIX.loss} and {@code PREFIX.loss.TERM} for each term, as means per example. */
    public Map<String, Double> means(String prefix) {
        Map<String, Double> means = new LinkedHashMap<>();
        means.put(prefix + ".loss", meanLoss());
        termSums.forEach((name, sum) -> means.put(prefix + ".loss." + name, sum / examples));
        return means;
    }
}
