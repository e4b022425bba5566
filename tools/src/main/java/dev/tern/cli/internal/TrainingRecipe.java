package dev.tern.cli.internal;

import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Turns {@code tern finetune}'s names for losses, optimizers and schedules into the training
 * API's objects. Unknown names are bad usage, listing the known ones.
 */
final class TrainingRecipe {
    static final List<String> LOSSES = List.of("ce", "mse", "l1", "bce");
    static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw");
    static final List<String> SCHEDULES = List.of("constant", "step", "cosine", "warmup-cosine");

    /** The step schedule multiplies the rate by this factor ... */
    private static final double STEP_DECAY_FACTOR = 0.1;
    /** ... this many times over the run, at evenly spaced steps. */
    private static final int STEP_DECAYS = 2;
    /** The warm-up of warmup-cosine takes this fraction of all steps (at least one step). */
    private static final double WARMUP_FRACTION = 0.05;

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
     * The schedule {@code name} peaking at {@code rate}, as a function shaping it to a run of
     * a given number of steps; the name is checked now.
     */
    static LongFunction<LearningRateSchedule> schedule(String name, double rate) {
        requireKnown("--schedule", name, SCHEDULES);
        return totalSteps -> {
            try {
                return switch (name) {
                    case "constant" -> LearningRateSchedule.constant(rate);
                    case "step" -> LearningRateSchedule.stepDecay(rate, Math.max(1, totalSteps / (STEP_DECAYS + 1)),
                            STEP_DECAY_FACTOR);
                    case "cosine" -> LearningRateSchedule.cosine(rate, totalSteps, 0);
                    default -> {
                        long warmup = Math.max(1, Math.round(totalSteps * WARMUP_FRACTION));
                        yield LearningRateSchedule.warmup(warmup,
                                LearningRateSchedule.cosine(rate, Math.max(1, totalSteps - warmup), 0));
                    }
                };
            } catch (IllegalArgumentException e) {
                throw CliFailure.usage("--lr " + rate + ": " + e.getMessage(), e);
            }
        };
    }

    private static String requireKnown(String option, String name, List<String> known) {
        if (!known.contains(name)) {
            throw CliFailure.usage(option + ": unknown '" + name + "', expected one of " + String.join(", ", known));
        }
        return name;
    }
}
