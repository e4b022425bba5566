package dev.tern.train;

import dev.tern.ir.Tensor;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.Feed;
import dev.tern.train.internal.ClassificationCounts;
import dev.tern.train.internal.EpochCheckpoints;
import dev.tern.train.internal.RegressionErrors;
import dev.tern.train.internal.TrainerProgress;
import dev.tern.train.report.EpochStats;
import dev.tern.train.report.TrainingHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a {@link TrainingSession} for a number of epochs over a {@link BatchSource}, measuring
 * each epoch's training loss, validation loss and accuracy, and throughput.
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
 * <p>A batch's features feed the model input named in the builder and its labels the
 * session's target input. Validation accuracy is measured when the labels are class indices
 * or rows of class probabilities (one-hot) and the prediction is {@code [n, classes]} scores;
 * the root mean squared and mean absolute errors when the labels are other float targets of
 * the prediction's shape. A measurement that does not apply is NaN, like every validation
 * field without validation data.
 *
 * <p>With {@link Builder#checkpoints}, the session and the trainer's progress are saved after
 * every epoch, and {@link #resume()} continues from the latest save: since a loader's epochs
 * are reproducible and the checkpoint holds the step count, a resumed run takes the same steps
 * as one never interrupted. With {@link Builder#earlyStopping}, training stops once the
 * validation loss has not improved for the given number of epochs. {@link Builder#keep} says
 * whether the session ends holding the last epoch's weights or those of the epoch with the
 * lowest validation loss; {@link TrainingOutcome#keptEpoch()} says which it holds. With
 * {@link Builder#adaptiveSchedule}, a schedule such as {@link ReduceOnPlateau} hears every
 * epoch's measurements, and its state travels with the checkpoints.
 *
 * <p>The trainer does not own the session or the loaders. Not thread-safe.
 */
public final class Trainer {
    private static final String BEST_WEIGHTS_PREFIX = "tern-best-";

    private final TrainingSession session;
    private final String targetInput;
    private final BatchSource train;
    private final BatchSource validation;
    private final int epochs;
    private final int patience;
    private final KeptWeights keep;
    private final EpochCheckpoints checkpoints;
    private final TrainingListener listener;
    private final AdaptiveSchedule adaptiveSchedule;

    private Trainer(Builder builder) {
        this.session = builder.session;
        this.targetInput = builder.targetInput;
        this.train = builder.train;
        this.validation = builder.validation;
        this.epochs = builder.epochs;
        this.patience = builder.patience;
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
        return new Builder(session, train);
    }

    /**
     * Trains from the session's current state for the configured number of epochs.
     *
     * @throws TrainingException if a checkpoint cannot be written, or a batch does not fit the session
     */
    public TrainingOutcome fit() {
        return run(new TrainerProgress(new TrainingHistory(), 0, Double.POSITIVE_INFINITY));
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
        session.restoreCheckpoint(checkpoints.checkpointFile(progress.lastEpoch()));
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
                    checkpoints.save(session, adaptiveSchedule == null ? progress
                            : progress.withScheduleState(adaptiveSchedule.state()));
                }
                stoppedEarly = patience > 0 && epoch - progress.bestEpoch() >= patience && epoch < epochs;
            }
            int keptEpoch = progress.lastEpoch();
            if (keep == KeptWeights.BEST_EPOCH && progress.bestEpoch() > 0) {
                if (progress.bestEpoch() != progress.lastEpoch()) {
                    session.restoreCheckpoint(bestWeights);
                }
                keptEpoch = progress.bestEpoch();
            }
            return new TrainingOutcome(progress.history(), progress.bestEpoch(), stoppedEarly, keptEpoch);
        } finally {
            if (bestWeights != null && checkpoints == null) {
                deleteQuietly(bestWeights);
            }
        }
    }

    /**
     * Where the best epoch's weights are saved as training goes, or null when they are not:
     * always in a checkpoint folder (a resumed run may keep them), else in a temporary file
     * when they are to be kept.
     */
    private Path bestWeightsFile() {
        if (validation == null) {
            return null;
        }
        if (checkpoints != null) {
            return checkpoints.bestWeightsFile();
        }
        return keep == KeptWeights.BEST_EPOCH ? temporaryBestWeightsFile() : null;
    }

    private TrainerProgress runEpoch(int epoch, TrainerProgress progress, Path bestWeights) {
        EpochTraining training = trainEpoch(epoch);
        ValidationResult checked = validate();
        EpochStats stats = new EpochStats(epoch, training.meanLoss(), checked.loss(), checked.accuracy(),
                training.examplesPerSecond(), checked.rootMeanSquaredError(), checked.meanAbsoluteError());
        progress.history().add(stats);
        listener.onEpoch(stats);
        if (adaptiveSchedule != null) {
            adaptiveSchedule.onEpoch(stats);
        }
        if (validation != null && checked.loss() < progress.bestValidationLoss()) {
            if (bestWeights != null) {
                session.saveCheckpoint(bestWeights);
            }
            return new TrainerProgress(progress.history(), epoch, checked.loss());
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

    private EpochTraining trainEpoch(int epoch) {
        int batches = train.batchCount();
        double lossSum = 0;
        long examples = 0;
        long start = System.nanoTime();
        int index = 0;
        for (Feed batch : train.epoch(epoch - 1)) {
            StepResult result = session.step(feed(batch));
            lossSum += result.loss() * batch.size();
            examples += batch.size();
            index++;
            double seconds = (System.nanoTime() - start) / 1e9;
            double secondsPerBatch = seconds / index;
            long batchesLeft = (long) (epochs - epoch) * batches + batches - index;
            listener.onStep(new StepProgress(epoch, epochs, index, batches, lossSum / examples,
                    examples / seconds, secondsPerBatch * batchesLeft));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochTraining(lossSum / examples, examples / seconds);
    }

    private ValidationResult validate() {
        if (validation == null) {
            return new ValidationResult(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double lossSum = 0;
        long examples = 0;
        long correct = 0;
        boolean classification = true;
        boolean regression = true;
        RegressionErrors errors = new RegressionErrors();
        for (Feed batch : validation.epoch(0)) {
            Evaluation evaluation = session.evaluate(feed(batch));
            lossSum += evaluation.loss() * batch.size();
            examples += batch.size();
            classification &= ClassificationCounts.applies(evaluation.prediction(), batch.labels());
            if (classification) {
                correct += ClassificationCounts.correct(evaluation.prediction(), batch.labels());
            }
            regression &= RegressionErrors.applies(evaluation.prediction(), batch.labels());
            if (regression) {
                errors.add(evaluation.prediction(), batch.labels());
            }
        }
        // One-hot label rows fit both readings; they are classes, and their errors against scores would mean nothing.
        regression &= !classification;
        return new ValidationResult(lossSum / examples, classification ? (double) correct / examples : Double.NaN,
                regression ? errors.rootMeanSquared() : Double.NaN, regression ? errors.meanAbsolute() : Double.NaN);
    }

    private Map<String, Tensor> feed(Feed batch) {
        Map<String, Tensor> feed = new HashMap<>(batch.inputs());
        feed.put(targetInput, batch.labels());
        return feed;
    }

    private static Path temporaryBestWeightsFile() {
        try {
            return Files.createTempFile(BEST_WEIGHTS_PREFIX, ".ckpt");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for the best weights", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover temporary file is harmless; the training result stands.
        }
    }

    private record EpochTraining(double meanLoss, double examplesPerSecond) {
    }

    private record ValidationResult(double loss, double accuracy, double rootMeanSquaredError, double meanAbsoluteError) {
    }

    /**
     * Configures a {@link Trainer}. Every setter checks its argument at once. Defaults: 1
     * epoch, no validation, no early stopping, no checkpoints, target input {@code "target"},
     * no listener; the last epoch's weights kept, or the best epoch's with early stopping.
     */
    public static final class Builder {
        private final TrainingSession session;
        private final BatchSource train;
        private String targetInput = "target";
        private BatchSource validation;
        private int epochs = 1;
        private int patience;
        private KeptWeights keep;
        private Path checkpointDirectory;
        private TrainingListener listener = new TrainingListener() {
        };
        private AdaptiveSchedule adaptiveSchedule;

        private Builder(TrainingSession session, BatchSource train) {
            this.session = Objects.requireNonNull(session, "session");
            this.train = Objects.requireNonNull(train, "train");
        }

        /** The session's target input, as given to {@link TrainingSession.Builder#targetInput}. */
        public Builder targetInput(String name) {
            this.targetInput = Objects.requireNonNull(name, "targetInput");
            return this;
        }

        /** Batches to measure validation loss and accuracy on after every epoch; not shuffled or augmented, normally. */
        public Builder validation(BatchSource batches) {
            this.validation = Objects.requireNonNull(batches, "validation");
            return this;
        }

        /**
         * The total number of epochs, those before a resumed checkpoint included.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder epochs(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, found " + count);
            }
            this.epochs = count;
            return this;
        }

        /**
         * Stops after {@code patience} epochs without a lower validation loss, and ends with the
         * best epoch's weights in the session unless {@link #keep} says otherwise. Needs
         * {@link #validation}.
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

        /** Which epoch's weights the session holds when training ends; {@link KeptWeights#BEST_EPOCH} needs {@link #validation}. */
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
         * @throws IllegalStateException if early stopping, keeping the best epoch, or an
         *     adaptive schedule that follows validation results is asked for without validation data
         * @throws TrainingException if the checkpoint folder cannot be created
         */
        public Trainer build() {
            if (patience > 0 && validation == null) {
                throw new IllegalStateException("early stopping needs validation data: set validation(...)");
            }
            if (adaptiveSchedule != null && adaptiveSchedule.needsValidation() && validation == null) {
                throw new IllegalStateException(adaptiveSchedule + " needs validation data: set validation(...)");
            }
            if (keep == KeptWeights.BEST_EPOCH && validation == null) {
                throw new IllegalStateException("keeping the best epoch's weights needs validation data: set validation(...)");
            }
            return new Trainer(this);
        }

        private KeptWeights keptWeights() {
            if (keep != null) {
                return keep;
            }
            return patience > 0 ? KeptWeights.BEST_EPOCH : KeptWeights.LAST_EPOCH;
        }
    }
}
