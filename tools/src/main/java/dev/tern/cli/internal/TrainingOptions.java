package dev.tern.cli.internal;

import dev.tern.exec.SessionConfig;
import dev.tern.train.FineTune;
import dev.tern.train.FineTuneData;
import dev.tern.train.KeptWeights;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingException;
import java.util.Optional;
import java.util.function.LongFunction;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The training recipe's options shared by every command that trains ({@code finetune},
 * {@code prune}, {@code distill}, {@code quantize --qat}): epochs, batch size, optimizer,
 * learning rate and schedule, the kept epoch, the seed and ONNX Runtime's threads. A picocli
 * mixin, so each option is declared, described and defaulted once.
 */
final class TrainingOptions {
    private static final String KEEP_BEST = "best";
    private static final String KEEP_LAST = "last";
    /** AdamW's decoupled weight decay when --weight-decay is not given (PyTorch's default). */
    private static final double ADAMW_DEFAULT_DECAY = 0.01;

    // One group with a heading, so the options show as one section of each command's help.
    @ArgGroup(exclusive = false, heading = "%nTraining:%n")
    private Values values = new Values();

    /** The options' values, their defaults when none is given (picocli then leaves the field as it is). */
    private static final class Values {
        @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data (default: 10).")
        private int epochs = 10;

        @Option(names = "--batch", paramLabel = "N", description = "Examples per step (default: 32).")
        private int batch = 32;

        @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, adam or adamw (the default).")
        private String optimizer = "adamw";

        @Option(names = "--lr", paramLabel = "RATE", description = "The peak learning rate (default: 1e-3).")
        private double learningRate = 1e-3;

        @Option(names = "--momentum", paramLabel = "M", description = "SGD's momentum (default: 0).")
        private double momentum;

        @Option(names = "--weight-decay", paramLabel = "W",
                description = "AdamW's decoupled weight decay, or SGD's and Adam's L2 term (default: 0.01 for adamw, else 0).")
        private Double weightDecay;

        @Option(names = "--schedule", paramLabel = "NAME[:KEY=VALUE,...]",
                description = "constant (the default), step (x0.1 after each third of the run), cosine (to 0 over the run), "
                        + "warmup-cosine (linear warm-up over the first 5%% of steps, then cosine), exponential[:gamma=G] "
                        + "(x G per epoch, smoothly; by default to 1%% of --lr at the end), linear[:end=RATE] (straight to "
                        + "RATE, default 0), one-cycle[:warmup=0.3,div=25,final-div=1e4] (PyTorch's OneCycleLR peaking at "
                        + "--lr), or plateau[:factor=0.1,patience=10,cooldown=0,min=0,threshold=1e-4,metric=loss|accuracy|"
                        + "train-loss,mode=min|max] (reduce-on-plateau after each epoch; its state is kept in a checkpoint).")
        private String schedule = "constant";

        @Option(names = "--keep", paramLabel = "WHICH",
                description = "Write the weights of the best epoch (lowest validation loss; the default with validation "
                        + "data) or of the last epoch: best or last.")
        private String keep;

        @Option(names = "--seed", paramLabel = "N",
                description = "Seed of the split, the shuffling and any random augmentation or dropout (default: 42).")
        private long seed = 42;

        @Option(names = "--threads", paramLabel = "N",
                description = "ONNX Runtime's threads inside one operator; 0 (the default) lets it choose.")
        private int threads;
    }

    int epochs() {
        return values.epochs;
    }

    int batch() {
        return values.batch;
    }

    long seed() {
        return values.seed;
    }

    /** --schedule as given, NAME[:KEY=VALUE,...]. */
    String scheduleSpec() {
        return values.schedule;
    }

    /** Whether --keep was given. */
    boolean keepGiven() {
        return values.keep != null;
    }

    /**
     * Checks every option before any file is read, so a typo fails at once.
     *
     * @param validated whether the command has validation data, which --keep best and the
     *     plateau schedule follow
     * @throws CliFailure (usage) naming the option and the value found
     */
    void check(boolean validated) {
        requireAtLeast("--epochs", values.epochs, 1);
        requireAtLeast("--batch", values.batch, 1);
        requireAtLeast("--threads", values.threads, 0);
        if (!(values.learningRate > 0) || !Double.isFinite(values.learningRate)) {
            throw CliFailure.usage("--lr must be above 0, found " + values.learningRate);
        }
        optimizer();
        schedule(validated);
        if (values.keep != null && !values.keep.equals(KEEP_BEST) && !values.keep.equals(KEEP_LAST)) {
            throw CliFailure.usage("--keep: unknown '" + values.keep + "', expected " + KEEP_BEST + " or " + KEEP_LAST);
        }
        if (KEEP_BEST.equals(values.keep) && !validated) {
            throw CliFailure.usage("--keep best needs validation data: --validation or --split");
        }
    }

    /** The optimizer --optimizer, --momentum and --weight-decay name. @throws CliFailure (usage) for an unknown name */
    Optimizer optimizer() {
        double decay = values.weightDecay != null ? values.weightDecay : values.optimizer.equals("adamw") ? ADAMW_DEFAULT_DECAY : 0;
        return TrainingRecipe.optimizer(values.optimizer, values.momentum, decay);
    }

    /**
     * --schedule from --lr, shaped to a run's total steps.
     *
     * @param validated whether the run has validation data, which reduce-on-plateau follows by default
     * @throws CliFailure (usage) naming the schedule, setting and value that are wrong
     */
    LongFunction<LearningRateSchedule> schedule(boolean validated) {
        return TrainingRecipe.schedule(values.schedule, values.learningRate, values.epochs, validated);
    }

    /** The ONNX Runtime settings of --threads. */
    SessionConfig sessionConfig() {
        return SessionConfig.builder().intraOpThreads(values.threads).build();
    }

    /** The epoch --keep asks for, or empty for the recipe's default. */
    Optional<KeptWeights> kept() {
        if (values.keep == null) {
            return Optional.empty();
        }
        return Optional.of(values.keep.equals(KEEP_BEST) ? KeptWeights.BEST_EPOCH : KeptWeights.LAST_EPOCH);
    }

    /**
     * Sets {@code builder}'s optimizer, schedule, epochs, session settings and kept epoch from
     * these options, and the validation batches of {@code data} when it has any; the loss and
     * listener are the caller's.
     */
    FineTune.Builder applyTo(FineTune.Builder builder, FineTuneData data) {
        builder.optimizer(optimizer())
                .schedule(schedule(data.validation().isPresent()))
                .epochs(values.epochs)
                .sessionConfig(sessionConfig());
        kept().ifPresent(builder::keep);
        data.validation().ifPresent(builder::validation);
        return builder;
    }

    /**
     * The recipe {@code builder} describes.
     *
     * @throws CliFailure (usage) with the recipe's own message when it refuses the options
     */
    static FineTune build(FineTune.Builder builder) {
        try {
            return builder.build();
        } catch (TrainingException e) {
            throw CliFailure.usage(e.getMessage(), e);
        }
    }

    private static void requireAtLeast(String option, int value, int minimum) {
        if (value < minimum) {
            throw CliFailure.usage(option + " must be at least " + minimum + ", found " + value);
        }
    }
}
