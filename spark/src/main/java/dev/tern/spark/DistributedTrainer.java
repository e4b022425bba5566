package dev.tern.spark;

import dev.tern.spark.internal.ModelFiles;
import dev.tern.spark.internal.TaskReport;
import dev.tern.spark.internal.TrainingSettings;
import dev.tern.spark.internal.TrainingTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag$;

/**
 * Data-parallel fine-tuning on Spark: one barrier task per partition, each training a copy of
 * the model on its partition with a split-step {@link dev.tern.train.TrainingSession}. Every
 * step each task computes the gradients of its share of the global batch, the tasks average
 * them with a {@link RingAllReduce} (weighted by each share's rows, so the average is the
 * global batch's mean however unevenly it was split), and each applies the same average: the
 * weights stay identical on every task, and the run trains as one process would on the global
 * batch, up to float rounding.
 *
 * <pre>{@code
 * TrainingOutcome outcome = DistributedTrainer.builder(setup, rows -> batchOf(rows))
 *         .modelPath(Path.of("mlp.onnx")).globalBatchSize(64).epochs(20)
 *         .checkpoint(Path.of("/shared/run.ckpt"), 50).build()
 *         .fit(data.javaRDD().repartition(2));
 * }</pre>
 *
 * <p>The data set needs one partition per task and at most as many partitions as the cluster
 * has task slots (Spark runs a barrier stage's tasks all at once). Each task holds its partition
 * in memory and goes through it in its own shuffled order, a new shuffle each pass. Failures:
 * when a task fails, Spark fails the whole barrier stage and retries it
 * ({@code spark.stage.maxConsecutiveAttempts}); every task of the retry resumes from the
 * checkpoint, if one was set, so a retry repeats at most {@code everySteps} steps. A checkpoint
 * present when {@link #fit} starts is resumed too: delete it to start over. Immutable.
 *
 * @param <T> the type of the rows trained on
 */
public final class DistributedTrainer<T> {
    private final ModelFiles model;
    private final SessionSetup setup;
    private final BatchAssembler<T> assembler;
    private final TrainingSettings settings;

    private DistributedTrainer(Builder<T> builder) {
        this.model = new ModelFiles(builder.modelPath, builder.modelBytes, null, null);
        this.setup = builder.setup;
        this.assembler = builder.assembler;
        this.settings = new TrainingSettings(builder.globalBatchSize, builder.epochs, builder.seed,
                builder.checkpoint == null ? null : builder.checkpoint.toAbsolutePath().toString(),
                builder.checkpointEvery,
                builder.exportTo == null ? null : builder.exportTo.toAbsolutePath().toString(), builder.ringTimeout);
    }

    /**
     * A builder for training with the sessions {@code setup} configures on batches
     * {@code assembler} makes of rows.
     */
    public static <T> Builder<T> builder(SessionSetup setup, BatchAssembler<T> assembler) {
        return new Builder<>(setup, assembler);
    }

    /**
     * Trains on {@code rows}, one barrier task per partition, and returns what task 0 reports.
     * When the stage fails more often than Spark retries it, this throws Spark's
     * {@code org.apache.spark.SparkException} (checked in Java, though Scala does not declare it),
     * whose cause names the failing task's error (a session that cannot be built, a batch the
     * model refuses, a partition with no rows, a global batch larger than the data set, more
     * partitions than task slots).
     *
     * @throws IllegalStateException if the tasks ended with different weights, which the
     *     all-reduce rules out unless a task's setup or model differed
     */
    public TrainingOutcome fit(JavaRDD<T> rows) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(rows.context());
        TrainingTask<T> task = new TrainingTask<>(model.ship(context).model(), setup, assembler, settings);
        RDD<TaskReport> reports = rows.rdd().barrier().mapPartitions(task, false,
                ClassTag$.MODULE$.apply(TaskReport.class));
        // Spark retries a failed barrier stage only when it is a shuffle map stage (a result stage
        // may have committed output), so the reports go through a shuffle before they are collected.
        List<TaskReport> all = new ArrayList<>(reports.toJavaRDD().repartition(1).collect());
        all.sort(Comparator.comparingInt(TaskReport::partition));
        TaskReport first = all.get(0);
        for (TaskReport report : all) {
            if (!report.weightDigest().equals(first.weightDigest())) {
                throw new IllegalStateException("task " + report.partition() + " ended with weights of SHA-256 "
                        + report.weightDigest() + ", task 0 with " + first.weightDigest()
                        + "; every task must train the same model with the same setup");
            }
        }
        return new TrainingOutcome(Optional.ofNullable(first.model()), first.steps(), first.loss(), first.startStep(),
                first.attempt(), all.size(), first.times());
    }

    /**
     * Configures a {@link DistributedTrainer}. Required: the model ({@link #modelPath} or
     * {@link #modelBytes}) and {@link #globalBatchSize}. Not thread-safe.
     */
    public static final class Builder<T> {
        private final SessionSetup setup;
        private final BatchAssembler<T> assembler;
        private Path modelPath;
        private byte[] modelBytes;
        private int globalBatchSize;
        private int epochs = 1;
        private long seed;
        private Path checkpoint;
        private int checkpointEvery;
        private Path exportTo;
        private Duration ringTimeout = Duration.ofMinutes(2);

        private Builder(SessionSetup setup, BatchAssembler<T> assembler) {
            this.setup = Objects.requireNonNull(setup, "setup");
            this.assembler = Objects.requireNonNull(assembler, "assembler");
        }

        /** The ONNX model to train, at a path every executor can read. */
        public Builder<T> modelPath(Path path) {
            this.modelPath = Objects.requireNonNull(path, "modelPath");
            this.modelBytes = null;
            return this;
        }

        /** The ONNX model to train, as bytes the driver broadcasts to the executors. */
        public Builder<T> modelBytes(byte[] bytes) {
            this.modelBytes = Objects.requireNonNull(bytes, "modelBytes").clone();
            this.modelPath = null;
            return this;
        }

        /**
         * Rows per step over all tasks together; each task takes a share in proportion to its
         * partition's rows, rounded (at least one), so the shares may sum to a row or so more or
         * less than {@code rows}. The average gradient is the mean over the rows actually taken.
         *
         * @throws IllegalArgumentException if {@code rows} is not positive
         */
        public Builder<T> globalBatchSize(int rows) {
            requirePositive(rows, "global batch size");
            this.globalBatchSize = rows;
            return this;
        }

        /**
         * Passes over the data set (1 by default); a pass is {@code ceil(rows / globalBatchSize)} steps.
         *
         * @throws IllegalArgumentException if {@code count} is not positive
         */
        public Builder<T> epochs(int count) {
            requirePositive(count, "epoch count");
            this.epochs = count;
            return this;
        }

        /** Seeds each task's shuffles of its partition (0 by default). */
        public Builder<T> seed(long newSeed) {
            this.seed = newSeed;
            return this;
        }

        /**
         * Task 0 saves a checkpoint to {@code file} every {@code everySteps} steps, and every
         * task resumes from it when it exists at the start of an attempt. The file must be the
         * same file for every executor (a shared file system).
         *
         * @throws IllegalArgumentException if {@code everySteps} is not positive
         */
        public Builder<T> checkpoint(Path file, int everySteps) {
            requirePositive(everySteps, "checkpoint interval");
            this.checkpoint = Objects.requireNonNull(file, "checkpoint");
            this.checkpointEvery = everySteps;
            return this;
        }

        /** Task 0 writes the trained model to {@code file} (readable from the driver on a shared file system) instead of returning its bytes. */
        public Builder<T> exportTo(Path file) {
            this.exportTo = Objects.requireNonNull(file, "exportTo");
            return this;
        }

        /** How long a task waits for its ring neighbours to connect (2 minutes by default). */
        public Builder<T> ringTimeout(Duration timeout) {
            this.ringTimeout = Objects.requireNonNull(timeout, "ringTimeout");
            return this;
        }

        /**
         * @throws IllegalStateException if the model or the global batch size is missing
         */
        public DistributedTrainer<T> build() {
            if (modelPath == null && modelBytes == null) {
                throw new IllegalStateException("the distributed trainer builder needs modelPath(...) or modelBytes(...)");
            }
            if (globalBatchSize == 0) {
                throw new IllegalStateException("the distributed trainer builder needs globalBatchSize(...)");
            }
            return new DistributedTrainer<>(this);
        }

        private static void requirePositive(int value, String what) {
            if (value <= 0) {
                throw new IllegalArgumentException("the " + what + " must be positive, found " + value);
            }
        }
    }
}
