package dev.tern.train;

import dev.tern.train.data.BatchSource;
import dev.tern.train.data.Feed;
import dev.tern.train.internal.EpochCheckpoints;
import dev.tern.train.internal.LossSums;
import dev.tern.train.internal.TrainerProgress;
import dev.tern.train.report.EpochStats;
import dev.tern.train.report.TrainingHistory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a {@link TrainingSession} for a number of epochs over a {@link BatchSource}, measuring
 * each epoch's training and validation loss (the total and each term), accuracy or errors,
 * and throughput.
 *
 * <pre>{@code
 * TrainingOutcome outcome = Trainer.builder(session, trainBatches.feeding("input"))
 *         .validation(validationBatches.feeding("input"))
 *         .epochs(20)
 *         .earlyStopping(3)
 *         .checkpoints(Path.of("checkpoints"))
 *         .build()
 *         .fit();
 * Model tuned = session.exportModel();
 * }</pre>
 *
 * <p>A batch's inputs feed the model's inputs, and its labels the session's first
 * {@linkplain TrainingSession#targetColumns() target column} the inputs do not feed (none for
 * an autoencoder, whose target is its input). Each loss term whose target a batch holds is
 * measured against it on the validation data: accuracy when the target is class indices (or rows of
 * class probabilities, one-hot or mixed) and the output {@code [n, classes]} scores; mean squared and mean absolute errors when the target
 * is floats of the output's shape (see {@link EpochStats#metrics()} for the names). The fixed
 * fields of {@link EpochStats} measure the first term; a measurement that does not apply is
 * NaN there, like every validation field without validation data.
 *
 * <p>With {@link Builder#checkpoints}, the session and the trainer's progress are saved after
 * every epoch, and {@link #resume()} continues from the latest save: since a loader's epochs
 * are reproducible and the checkpoint holds the step count, a resumed run takes the same steps
 * as one never interrupted. The best epoch is the one with the best value of the
 * {@linkplain Builder#monitor monitored metric} (the lowest validation loss unless told
 * otherwise). With {@link Builder#earlyStopping}, training stops once that metric has not
 * improved for the given number of epochs. {@link Builder#keep} says whether the session ends
 * holding the last epoch's weights or the best epoch's; {@link TrainingOutcome#keptEpoch()}
 * says which it holds. With {@link Builder#adaptiveSchedule}, a schedule such as
 * {@link ReduceOnPlateau} hears every epoch's measurements, and its state travels with the
 * checkpoints.
 *
 * <p>A {@link GroupTrainingSession} is trained the same way, its {@link GroupSteps} taking each
 * batch's steps; each group's loss is then a term of the epoch, their sum its training loss.
 * Its validation evaluates every group's loss, or those of {@link Builder#validationGroups}, on
 * the validation batches: {@code validation.loss.GROUP} for each group,
 * {@code validation.loss.GROUP.TERM} for each of its terms, their sum as the validation loss
 * (a validation batch feeds a group the data inputs it holds, and its labels under the group's
 * first target column it does not hold). {@code Monitor.validationLoss("generator")} then
 * picks the best epoch by one group's loss; keeping it restores every group's weights.
 *
 * <p>The trainer does not own the session or the loaders. Not thread-safe.
 */
public final class Trainer {
    private final WeightStore store;
    private final BatchStep step;
    private final BatchSource train;
    /** The validation after each epoch, or {@code null} without validation data. */
    private final EpochValidation validation;
    private final int epochs;
    private final int patience;
    private final Monitor monitor;
    private final boolean tracksBest;
    private final KeptWeights keep;
    private final EpochCheckpoints checkpoints;
    private final TrainingListener listener;
    private final AdaptiveSchedule adaptiveSchedule;

    private Trainer(Builder builder, EpochValidation validation) {
        this.store = builder.store;
        this.step = builder.step;
        this.train = builder.train;
        this.validation = validation;
        this.epochs = builder.epochs;
        this.patience = builder.patience;
        this.monitor = builder.monitor;
        this.tracksBest = validation != null || !monitor.needsValidation();
        this.keep = builder.keptWeights();
        this.checkpoints = builder.checkpointDirectory == null ? null : EpochCheckpoints.in(builder.checkpointDirectory);
        this.listener = builder.listener;
        this.adaptiveSchedule = builder.adaptiveSchedule;
    }

    /**
     * A builder for training {@code session} on {@code train}, whose batches feed the model's
     * inputs ({@code loader.feeding("input")} for a {@link dev.tern.train.data.BatchLoader}).
     */
    public static Builder builder(TrainingSession session, BatchSource train) {
        return new Builder(session, BatchStep.of(session), train, SessionValidation.factory(session));
    }

    /**
     * A builder for training {@code session} on {@code train}, taking {@code steps} on each
     * batch; {@link Builder#validation} evaluates the groups' losses.
     */
    public static Builder builder(GroupTrainingSession session, BatchSource train, GroupSteps steps) {
        Objects.requireNonNull(steps, "steps");
        return new Builder(session, BatchStep.of(session, steps), train, GroupValidation.factory(session));
    }

    /**
     * Trains from the session's current state for the configured number of epochs.
     *
     * @throws TrainingException if a checkpoint cannot be written, or a batch does not fit the session
     */
    public TrainingOutcome fit() {
        return run(new TrainerProgress(new TrainingHistory(), 0, monitor.worst()));
    }

    /**
     * Restores the latest checkpoint in the checkpoint folder and trains the epochs left after
     * it. A run whose checkpoint already covers every epoch trains nothing more.
     *
     * @throws IllegalStateException if the trainer has no checkpoint folder
     * @throws TrainingException if the folder holds no checkpoint, or it does not fit the
     *     session, or it holds no schedule state for the trainer's adaptive schedule
     */
    public TrainingOutcome resume() {
        if (checkpoints == null) {
            throw new IllegalStateException("resuming needs a checkpoint folder: set checkpoints(...)");
        }
        TrainerProgress progress = checkpoints.latest().orElseThrow(() -> new TrainingException(
                "no checkpoint to resume from in " + checkpoints.checkpointFile(1).getParent()));
        store.restoreCheckpoint(checkpoints.checkpointFile(progress.lastEpoch()));
        if (adaptiveSchedule != null) {
            restoreSchedule(progress);
        }
        return run(progress);
    }

    private TrainingOutcome run(TrainerProgress start) {
        Path bestWeights = bestWeightsFile();
        try {
            TrainerProgress progress = start;
            boolean stoppedEarly = false;
            for (int epoch = start.lastEpoch() + 1; epoch <= epochs && !stoppedEarly; epoch++) {
                progress = runEpoch(epoch, progress, bestWeights);
                if (checkpoints != null) {
                    checkpoints.save(store, adaptiveSchedule == null ? progress
                            : progress.withScheduleState(adaptiveSchedule.state()));
                }
                stoppedEarly = patience > 0 && epoch - progress.bestEpoch() >= patience && epoch < epochs;
            }
            int keptEpoch = progress.lastEpoch();
            if (keep == KeptWeights.BEST_EPOCH && progress.bestEpoch() > 0) {
                if (progress.bestEpoch() != progress.lastEpoch()) {
                    store.restoreCheckpoint(bestWeights);
                }
                keptEpoch = progress.bestEpoch();
            }
            return new TrainingOutcome(progress.history(), progress.bestEpoch(), stoppedEarly, keptEpoch);
        } finally {
            if (bestWeights != null && checkpoints == null) {
                EpochCheckpoints.deleteTemporary(bestWeights);
            }
        }
    }

    /**
     * Where the best epoch's weights are saved as training goes, or null when they are not:
     * always in a checkpoint folder (a resumed run may keep them), else in a temporary file
     * when they are to be kept.
     */
    private Path bestWeightsFile() {
        if (!tracksBest) {
            return null;
        }
        if (checkpoints != null) {
            return checkpoints.bestWeightsFile();
        }
        return keep == KeptWeights.BEST_EPOCH ? EpochCheckpoints.temporaryBestWeightsFile() : null;
    }

    private TrainerProgress runEpoch(int epoch, TrainerProgress progress, Path bestWeights) {
        EpochTraining training = trainEpoch(epoch);
        Map<String, Double> metrics = new LinkedHashMap<>(training.losses().means("train"));
        EpochStats stats = validation == null
                ? new EpochStats(epoch, training.losses().meanLoss(), Double.NaN, Double.NaN,
                        training.examplesPerSecond(), Double.NaN, Double.NaN, metrics)
                : validation.measure(epoch, training.losses().meanLoss(), training.examplesPerSecond(), metrics);
        progress.history().add(stats);
        listener.onEpoch(stats);
        if (adaptiveSchedule != null) {
            adaptiveSchedule.onEpoch(stats);
        }
        if (!tracksBest) {
            return progress;
        }
        double value = monitoredValue(stats);
        if (monitor.improves(value, progress.bestValue())) {
            if (bestWeights != null) {
                store.saveCheckpoint(bestWeights);
            }
            return new TrainerProgress(progress.history(), epoch, value);
        }
        return progress;
    }

    private void restoreSchedule(TrainerProgress progress) {
        if (progress.scheduleState().isEmpty()) {
            throw new TrainingException("the checkpoint of epoch " + progress.lastEpoch() + " in "
                    + checkpoints.checkpointFile(progress.lastEpoch()).getParent()
                    + " holds no schedule state: it was written by a trainer without an adaptive schedule");
        }
        adaptiveSchedule.restore(progress.scheduleState());
    }

    private double monitoredValue(EpochStats stats) {
        Double value = stats.metrics().get(monitor.metric());
        if (value == null) {
            throw new TrainingException("the trainer monitors '" + monitor.metric() + "', which epoch " + stats.epoch()
                    + " did not measure; it measured " + stats.metrics().keySet());
        }
        return value;
    }

    private EpochTraining trainEpoch(int epoch) {
        int batches = train.batchCount();
        LossSums losses = new LossSums();
        long start = System.nanoTime();
        int index = 0;
        for (Feed batch : train.epoch(epoch - 1)) {
            BatchStep.Losses result = step.train(batch);
            losses.add(result.total(), result.terms(), batch.size());
            index++;
            double seconds = (System.nanoTime() - start) / 1e9;
            double secondsPerBatch = seconds / index;
            long batchesLeft = (long) (epochs - epoch) * batches + batches - index;
            listener.onStep(new StepProgress(epoch, epochs, index, batches, losses.meanLoss(),
                    losses.examples() / seconds, secondsPerBatch * batchesLeft));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochTraining(losses, losses.examples() / seconds);
    }

    private record EpochTraining(LossSums losses, double examplesPerSecond) {
    }

    /**
     * Configures a {@link Trainer}. Every setter checks its argument at once. Defaults: 1
     * epoch, no validation, the validation loss monitored, no early stopping, no checkpoints,
     * no listener; the last epoch's weights kept, or the best epoch's with early stopping.
     */
    public static final class Builder {
        private final WeightStore store;
        private final BatchStep step;
        private final BatchSource train;
        private final EpochValidation.Factory validationFactory;
        private BatchSource validation;
        private List<String> validationGroups;
        private int epochs = 1;
        private int patience;
        private Monitor monitor = Monitor.VALIDATION_LOSS;
        private KeptWeights keep;
        private Path checkpointDirectory;
        private TrainingListener listener = new TrainingListener() {
        };
        private AdaptiveSchedule adaptiveSchedule;

        private Builder(WeightStore store, BatchStep step, BatchSource train,
                        EpochValidation.Factory validationFactory) {
            this.store = Objects.requireNonNull(store, "session");
            this.step = step;
            this.train = Objects.requireNonNull(train, "train");
            this.validationFactory = validationFactory;
        }

        /** Batches to measure validation loss and accuracy on after every epoch; not shuffled or augmented, normally. */
        public Builder validation(BatchSource batches) {
            this.validation = Objects.requireNonNull(batches, "validation");
            return this;
        }

        /**
         * For a group session, the groups whose losses {@link #validation} evaluates (by
         * default, every group).
         *
         * @throws IllegalArgumentException if no group is named
         */
        public Builder validationGroups(String... groups) {
            if (groups.length == 0) {
                throw new IllegalArgumentException("validationGroups needs at least one parameter group");
            }
            this.validationGroups = List.of(groups);
            return this;
        }

        /**
         * The total number of epochs, those before a resumed checkpoint included.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder epochs(int count) {
            this.epochs = BuilderChecks.atLeastOne(count, "epochs");
            return this;
        }

        /**
         * The metric that picks the best epoch and that early stopping watches (by default
         * {@link Monitor#VALIDATION_LOSS}). A name no epoch measures fails the run after its
         * first epoch, naming those it measured; a validation metric of a group session fails
         * {@link #build()} already.
         */
        public Builder monitor(Monitor newMonitor) {
            this.monitor = Objects.requireNonNull(newMonitor, "monitor");
            return this;
        }

        /**
         * Stops after {@code patience} epochs without an improvement of the monitored metric,
         * and ends with the best epoch's weights in the session unless {@link #keep} says
         * otherwise. Needs {@link #validation} when the metric is a validation one.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder earlyStopping(int newPatience) {
            if (newPatience < 1) {
                throw new IllegalArgumentException("early-stopping patience must be at least 1 epoch, found " + newPatience);
            }
            this.patience = newPatience;
            return this;
        }

        /**
         * Which epoch's weights the session holds when training ends; {@link KeptWeights#BEST_EPOCH}
         * needs {@link #validation} when the monitored metric is a validation one.
         */
        public Builder keep(KeptWeights weights) {
            this.keep = Objects.requireNonNull(weights, "weights");
            return this;
        }

        /** Saves a checkpoint into {@code directory} (created if missing) after every epoch, for {@link #resume()}. */
        public Builder checkpoints(Path directory) {
            this.checkpointDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        public Builder listener(TrainingListener newListener) {
            this.listener = Objects.requireNonNull(newListener, "listener");
            return this;
        }

        /**
         * The session's schedule, when it adapts to epoch results: the trainer hands it every
         * epoch's measurements, saves its state in the checkpoints and restores it on
         * {@link Trainer#resume()}.
         */
        public Builder adaptiveSchedule(AdaptiveSchedule schedule) {
            this.adaptiveSchedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /**
         * The trainer.
         *
         * @throws IllegalStateException if early stopping, or keeping the best epoch, is asked
         *     for on a validation metric without validation data, or an adaptive schedule that
         *     follows validation results is given without it, or validation groups are named
         *     without validation data or for a {@link TrainingSession}; for a group session, if
         *     a validation group is not the session's, or the monitor or the adaptive schedule
         *     follows a validation metric its validation does not measure (the message names
         *     those it does)
         * @throws TrainingException if the checkpoint folder cannot be created, or the first
         *     validation batch of a group session lacks a column a validated group reads
         */
        public Trainer build() {
            if (validationGroups != null && validation == null) {
                throw new IllegalStateException("validationGroups(...) names the parameter groups validation "
                        + "evaluates: set validation(...)");
            }
            boolean validationMissing = validation == null && monitor.needsValidation();
            if (patience > 0 && validationMissing) {
                throw new IllegalStateException("early stopping needs validation data: set validation(...)");
            }
            if (adaptiveSchedule != null && adaptiveSchedule.needsValidation() && validation == null) {
                throw new IllegalStateException(adaptiveSchedule + " needs validation data: set validation(...)");
            }
            if (keep == KeptWeights.BEST_EPOCH && validationMissing) {
                throw new IllegalStateException("keeping the best epoch's weights needs validation data: set validation(...)");
            }
            EpochValidation epochValidation = validation == null ? null
                    : validationFactory.of(validation, validationGroups);
            if (epochValidation != null) {
                epochValidation.requireMeasures(monitor, "the trainer");
                if (adaptiveSchedule != null) {
                    adaptiveSchedule.monitor().ifPresent(followed ->
                            epochValidation.requireMeasures(followed, adaptiveSchedule.toString()));
                }
            }
            return new Trainer(this, epochValidation);
        }

        private KeptWeights keptWeights() {
            if (keep != null) {
                return keep;
            }
            return patience > 0 ? KeptWeights.BEST_EPOCH : KeptWeights.LAST_EPOCH;
        }
    }
}
