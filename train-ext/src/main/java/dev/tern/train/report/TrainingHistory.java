package dev.tern.train.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** The per-epoch measurements of one training run, in epoch order. Not thread-safe. */
public final class TrainingHistory {
    private final List<EpochStats> epochs = new ArrayList<>();

    /**
     * Appends one epoch's measurements.
     *
     * @throws IllegalArgumentException if its epoch number is not above the last one's
     */
    public void add(EpochStats stats) {
        Objects.requireNonNull(stats, "stats");
        if (!epochs.isEmpty() && stats.epoch() <= last().epoch()) {
            throw new IllegalArgumentException("epoch " + stats.epoch() + " added after epoch " + last().epoch());
        }
        epochs.add(stats);
    }

    /** The epochs recorded so far (an unmodifiable copy). */
    public List<EpochStats> epochs() {
        return List.copyOf(epochs);
    }

    /** Whether no epoch has been recorded. */
    public boolean isEmpty() {
        return epochs.isEmpty();
    }

    /**
     * The names of the loss terms whose training values the epochs recorded (metrics
     * {@code train.loss.TERM}), sorted by name as the metrics are.
     */
    public List<String> lossTerms() {
        TreeSet<String> terms = new TreeSet<>();
        for (EpochStats stats : epochs) {
            for (String metric : stats.metrics().keySet()) {
                if (metric.startsWith(EpochStats.TRAIN_TERM_PREFIX)) {
                    terms.add(metric.substring(EpochStats.TRAIN_TERM_PREFIX.length()));
                }
            }
        }
        return List.copyOf(terms);
    }

    /** The metric {@code name} of every epoch, in order, NaN where an epoch lacks it. */
    double[] metricColumn(String name) {
        return column(stats -> stats.metrics().getOrDefault(name, Double.NaN));
    }

    /** One measurement of every epoch, in order, NaN where it was not measured. */
    double[] column(ToDoubleFunction<EpochStats> field) {
        return epochs.stream().mapToDouble(field).toArray();
    }

    private EpochStats last() {
        return epochs.get(epochs.size() - 1);
    }
}
