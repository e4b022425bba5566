package dev.tern.cli.internal;

import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Turns {@code tern finetune}'s names for losses, optimizers and schedules into the training
 * API's objects. Unknown names are bad usage, listing the known ones.
 */
final class TrainingRecipe {
    static final List<String> LOSSES = List.of("ce", "mse", "l1", "bce");
    static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw");
    /** Each schedule's name and the settings it takes after a colon. */
    static final Map<String, List<String>> SCHEDULES = schedules();

    /** The step schedule multiplies the rate by this factor ... */
    private static final double STEP_DECAY_FACTOR = 0.1;
    /** ... this many times over the run, at evenly spaced steps. */
    private static final int STEP_DECAYS = 2;
    /** The warm-up of warmup-cosine takes this fraction of all steps (at least one step). */
    private static final double WARMUP_FRACTION = 0.05;
    /** By default the exponential schedule ends its last epoch at this fraction of the starting rate. */
    private static final double EXPONENTIAL_END = 0.01;

    private TrainingRecipe() {
    }

    static Loss loss(String name) {
        return switch (requireKnown("--loss", name, LOSSES)) {
            case "ce" -> Loss.crossEntropy();
            case "mse" -> Loss.meanSquaredError();
            case "l1" -> Loss.l1();
            default -> Loss.binaryCrossEntropyWithLogits();
        };
    }

    /**
     * @param momentum SGD's momentum (ignored by Adam and AdamW)
     * @param weightDecay AdamW's decoupled decay, or the L2 term of SGD and Adam
     */
    static Optimizer optimizer(String name, double momentum, double weightDecay) {
        try {
            return switch (requireKnown("--optimizer", name, OPTIMIZERS)) {
                case "sgd" -> Optimizer.sgd(momentum, false, weightDecay);
                case "adam" -> new Optimizer.Adam(0.9, 0.999, 1e-8, weightDecay, false);
                default -> Optimizer.adamW(weightDecay);
            };
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--optimizer " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The schedule {@code spec} ({@code NAME[:KEY=VALUE,...]}) starting at or peaking at
     * {@code rate}, as a function shaping it to a run of a given number of steps over
     * {@code epochs} epochs; the name, settings and values are checked now.
     *
     * @param validated whether the run has validation data, which reduce-on-plateau follows by default
     * @throws CliFailure (usage) naming the schedule, setting and value that are wrong
     */
    static LongFunction<LearningRateSchedule> schedule(String spec, double rate, int epochs, boolean validated) {
        ScheduleSpec schedule = ScheduleSpec.parse(spec, SCHEDULES);
        LongFunction<LearningRateSchedule> shaped = totalSteps -> shape(schedule, rate, epochs, totalSteps, validated);
        shaped.apply(epochs); // the batch count is not known before the data are read; any run length checks the values
        return shaped;
    }

    /** {@link #schedule(String, double, int, boolean)} shaped to {@code epochs} of {@code batchesPerEpoch} steps. */
    static LearningRateSchedule schedule(String spec, double rate, int epochs, int batchesPerEpoch, boolean validated) {
        return schedule(spec, rate, epochs, validated).apply((long) epochs * batchesPerEpoch);
    }

    private static LearningRateSchedule shape(ScheduleSpec schedule, double rate, int epochs, long totalSteps,
                                              boolean validated) {
        long batchesPerEpoch = Math.max(1, totalSteps / epochs);
        try {
            return switch (schedule.name()) {
                case "constant" -> LearningRateSchedule.constant(rate);
                case "step" -> LearningRateSchedule.stepDecay(rate, Math.max(1, totalSteps / (STEP_DECAYS + 1)),
                        STEP_DECAY_FACTOR);
                case "cosine" -> LearningRateSchedule.cosine(rate, totalSteps, 0);
                case "warmup-cosine" -> {
                    long warmup = Math.max(1, Math.round(totalSteps * WARMUP_FRACTION));
                    yield LearningRateSchedule.warmup(warmup,
                            LearningRateSchedule.cosine(rate, Math.max(1, totalSteps - warmup), 0));
                }
                case "exponential" -> LearningRateSchedule.exponential(rate,
                        schedule.number("gamma").orElse(Math.pow(EXPONENTIAL_END, 1.0 / epochs)), batchesPerEpoch);
                case "linear" -> LearningRateSchedule.linear(rate, totalSteps, schedule.number("end").orElse(0));
                case "one-cycle" -> LearningRateSchedule.oneCycle(rate, Math.max(2, totalSteps),
                        schedule.number("warmup").orElse(0.3), schedule.number("div").orElse(25),
                        schedule.number("final-div").orElse(1e4));
                default -> PlateauOptions.schedule(schedule, rate, validated);
            };
        } catch (IllegalArgumentException e) {
            throw schedule.refused(e);
        }
    }

    private static Map<String, List<String>> schedules() {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        settings.put("constant", List.of());
        settings.put("step", List.of());
        settings.put("cosine", List.of());
        settings.put("warmup-cosine", List.of());
        settings.put("exponential", List.of("gamma"));
        settings.put("linear", List.of("end"));
        settings.put("one-cycle", List.of("warmup", "div", "final-div"));
        settings.put("plateau", PlateauOptions.KEYS);
        return Collections.unmodifiableMap(settings);
    }

    private static String requireKnown(String option, String name, List<String> known) {
        if (!known.contains(name)) {
            throw CliFailure.usage(option + ": unknown '" + name + "', expected one of " + String.join(", ", known));
        }
        return name;
    }
}
