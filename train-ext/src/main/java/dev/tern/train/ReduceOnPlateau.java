package dev.tern.train;

import dev.tern.train.report.EpochStats;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Lowers the learning rate when a measurement stops improving, as PyTorch's
 * {@code ReduceLROnPlateau} (relative threshold): after each epoch, the measurement counts as
 * better when it beats the best so far by the relative {@code threshold}; after more than
 * {@code patience} epochs in a row without that, the rate is multiplied by {@code factor} (not
 * below {@code minimumRate}), and the next {@code cooldown} epochs count as neither good nor
 * bad. Every step of an epoch gets the same rate, whatever its number.
 *
 * <pre>{@code
 * ReduceOnPlateau plateau = ReduceOnPlateau.builder(1e-3).factor(0.5).patience(2).build();
 * TrainingSession session = TrainingSession.builder(model, "logits")...schedule(plateau).build(runtime);
 * Trainer.builder(session, train).validation(validation).adaptiveSchedule(plateau).build().fit();
 * }</pre>
 *
 * <p>Not thread-safe: the trainer calls it from the training thread.
 */
public final class ReduceOnPlateau implements AdaptiveSchedule {
    private static final String RATE = "rate";
    private static final String BEST = "best";
    private static final String BAD_EPOCHS = "badEpochs";
    private static final String COOLDOWN_LEFT = "cooldownLeft";

    private final Metric metric;
    /** The named epoch metric followed instead of {@link #metric}, or {@code null}. */
    private final Monitor monitor;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final int cooldown;
    private final double minimumRate;
    private final double threshold;

    private double rate;
    private double best;
    private int badEpochs;
    private int cooldownLeft;

    /** The measurement followed. */
    public enum Metric {
        /** The epoch's mean validation loss; lower is better. */
        VALIDATION_LOSS(EpochStats::validationLoss, Mode.MIN, true),
        /** The epoch's validation accuracy; higher is better. */
        VALIDATION_ACCURACY(EpochStats::validationAccuracy, Mode.MAX, true),
        /** The epoch's mean training loss, for runs without validation data; lower is better. */
        TRAIN_LOSS(EpochStats::trainLoss, Mode.MIN, false);

        private final ToDoubleFunction<EpochStats> reading;
        private final Mode naturalMode;
        private final boolean needsValidation;

        Metric(ToDoubleFunction<EpochStats> reading, Mode naturalMode, boolean needsValidation) {
            this.reading = reading;
            this.naturalMode = naturalMode;
            this.needsValidation = needsValidation;
        }

        /** Whether lower or higher values of this measurement are better. */
        public Mode naturalMode() {
            return naturalMode;
        }

        private String describe() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** Whether lower or higher values count as better. */
    public enum Mode {
        MIN, MAX
    }

    private ReduceOnPlateau(Builder builder) {
        this.metric = builder.metric;
        this.monitor = builder.monitor;
        this.mode = builder.mode != null ? builder.mode : naturalMode(builder);
        this.factor = builder.factor;
        this.patience = builder.patience;
        this.cooldown = builder.cooldown;
        this.minimumRate = builder.minimumRate;
        this.threshold = builder.threshold;
        this.rate = builder.initialRate;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    private static Mode naturalMode(Builder builder) {
        if (builder.monitor == null) {
            return builder.metric.naturalMode();
        }
        return builder.monitor.higherIsBetter() ? Mode.MAX : Mode.MIN;
    }

    /**
     * A builder starting at {@code initialRate}, with PyTorch's defaults: the validation loss,
     * factor 0.1, patience 10, no cooldown, minimum rate 0, threshold 1e-4.
     *
     * @throws IllegalArgumentException if {@code initialRate} is negative or not finite
     */
    public static Builder builder(double initialRate) {
        return new Builder(initialRate);
    }

    /** The current rate, the same for every step until the next epoch's measurement changes it. */
    @Override
    public double rate(long step) {
        return rate;
    }

    /**
     * @throws TrainingException if the epoch lacks the measurement followed (NaN), as the
     *     validation measurements of a run without validation data
     */
    @Override
    public void onEpoch(EpochStats stats) {
        double value = monitor == null ? metric.reading.applyAsDouble(stats)
                : stats.metrics().getOrDefault(monitor.metric(), Double.NaN);
        if (Double.isNaN(value)) {
            throw new TrainingException("reduce-on-plateau follows the " + describe() + ", but epoch "
                    + stats.epoch() + " has none" + (needsValidation() ? ": give the trainer validation data" : "")
                    + (monitor == null ? "" : "; it measured " + stats.metrics().keySet()));
        }
        if (isBetter(value)) {
            best = value;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            rate = Math.max(rate * factor, minimumRate);
            cooldownLeft = cooldown;
            badEpochs = 0;
        }
    }

    private boolean isBetter(double value) {
        return mode == Mode.MIN ? value < best * (1 - threshold) : value > best * (1 + threshold);
    }

    @Override
    public boolean needsValidation() {
        return monitor == null ? metric.needsValidation : monitor.needsValidation();
    }

    @Override
    public Optional<Monitor> monitor() {
        return Optional.ofNullable(monitor);
    }

    private String describe() {
        return monitor == null ? metric.describe() : "metric '" + monitor.metric() + "'";
    }

    @Override
    public Map<String, String> state() {
        // Double.toString round-trips exactly, infinities included.
        return Map.of(RATE, Double.toString(rate), BEST, Double.toString(best),
                BAD_EPOCHS, Integer.toString(badEpochs), COOLDOWN_LEFT, Integer.toString(cooldownLeft));
    }

    @Override
    public void restore(Map<String, String> state) {
        double restoredRate = parse(state, RATE);
        double restoredBest = parse(state, BEST);
        int restoredBadEpochs = parseCount(state, BAD_EPOCHS);
        int restoredCooldownLeft = parseCount(state, COOLDOWN_LEFT);
        this.rate = restoredRate;
        this.best = restoredBest;
        this.badEpochs = restoredBadEpochs;
        this.cooldownLeft = restoredCooldownLeft;
    }

    private static double parse(Map<String, String> state, String key) {
        String text = entry(state, key);
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new TrainingException("reduce-on-plateau state '" + key + "' must be a number, found '" + text + "'", e);
        }
    }

    private static int parseCount(Map<String, String> state, String key) {
        String text = entry(state, key);
        try {
            int count = Integer.parseInt(text);
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // Reported below with the text found.
        }
        throw new TrainingException("reduce-on-plateau state '" + key + "' must be a count of 0 or more, found '"
                + text + "'");
    }

    private static String entry(Map<String, String> state, String key) {
        String text = state.get(key);
        if (text == null) {
            throw new TrainingException("reduce-on-plateau state lacks '" + key + "'; found keys " + state.keySet());
        }
        return text;
    }

    @Override
    public String toString() {
        return "ReduceOnPlateau[" + describe() + ", " + mode + ", factor " + factor + ", patience " + patience
                + ", cooldown " + cooldown + ", minimum rate " + minimumRate + ", threshold " + threshold
                + ", rate now " + rate + "]";
    }

    /** Options of a {@link ReduceOnPlateau}; every setter checks its argument at once. */
    public static final class Builder {
        private final double initialRate;
        private Metric metric = Metric.VALIDATION_LOSS;
        private Monitor monitor;
        private Mode mode;
        private double factor = 0.1;
        private int patience = 10;
        private int cooldown;
        private double minimumRate;
        private double threshold = 1e-4;

        private Builder(double initialRate) {
            this.initialRate = requireRate("initial rate", initialRate);
        }

        /** The measurement to follow (default: the validation loss); replaces a {@link #monitor}. */
        public Builder metric(Metric newMetric) {
            this.metric = Objects.requireNonNull(newMetric, "metric");
            this.monitor = null;
            return this;
        }

        /**
         * Follows a named epoch metric instead of a {@link Metric}, such as one parameter group's
         * validation loss ({@code Monitor.validationLoss("generator")}); its direction is the
         * monitor's unless {@link #mode} says otherwise. A trainer of a group session refuses at
         * build a validation metric its validation does not measure; otherwise an epoch without
         * the metric fails the run.
         */
        public Builder monitor(Monitor newMonitor) {
            this.monitor = Objects.requireNonNull(newMonitor, "monitor");
            return this;
        }

        /**
         * Whether lower or higher is better (default: the metric's {@link Metric#naturalMode()},
         * or the monitor's direction).
         */
        public Builder mode(Mode newMode) {
            this.mode = Objects.requireNonNull(newMode, "mode");
            return this;
        }

        /**
         * What the rate is multiplied by on a plateau (default: 0.1).
         *
         * @throws IllegalArgumentException if {@code newFactor} is not in (0, 1)
         */
        public Builder factor(double newFactor) {
            if (!(newFactor > 0 && newFactor < 1)) {
                throw new IllegalArgumentException("reduce-on-plateau factor must be in (0, 1), found " + newFactor);
            }
            this.factor = newFactor;
            return this;
        }

        /**
         * How many epochs in a row without improvement are tolerated (default: 10).
         *
         * @throws IllegalArgumentException if {@code epochs} is negative
         */
        public Builder patience(int epochs) {
            this.patience = requireCount("patience", epochs);
            return this;
        }

        /**
         * How many epochs after a reduction count as neither good nor bad (default: 0).
         *
         * @throws IllegalArgumentException if {@code epochs} is negative
         */
        public Builder cooldown(int epochs) {
            this.cooldown = requireCount("cooldown", epochs);
            return this;
        }

        /**
         * The rate never falls below this (default: 0).
         *
         * @throws IllegalArgumentException if {@code rate} is negative or not finite
         */
        public Builder minimumRate(double rate) {
            this.minimumRate = requireRate("minimum rate", rate);
            return this;
        }

        /**
         * The relative margin by which a measurement must beat the best to count as better (default: 1e-4).
         *
         * @throws IllegalArgumentException if {@code relative} is negative or not below 1
         */
        public Builder threshold(double relative) {
            if (!(relative >= 0 && relative < 1)) {
                throw new IllegalArgumentException("reduce-on-plateau threshold must be in [0, 1), found " + relative);
            }
            this.threshold = relative;
            return this;
        }

        /** The schedule, at its initial rate with no epoch seen. */
        public ReduceOnPlateau build() {
            return new ReduceOnPlateau(this);
        }

        private static double requireRate(String what, double rate) {
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("reduce-on-plateau " + what + " must be finite and 0 or more, found "
                        + rate);
            }
            return rate;
        }

        private static int requireCount(String what, int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("reduce-on-plateau " + what + " must be 0 or more epochs, found "
                        + epochs);
            }
            return epochs;
        }
    }
}
