package dev.tern.spark.internal;

import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import dev.tern.spark.BatchAssembler;
import dev.tern.spark.RingAllReduce;
import dev.tern.spark.SessionSetup;
import dev.tern.spark.StepTimes;
import dev.tern.train.Gradients;
import dev.tern.train.StepResult;
import dev.tern.train.TrainingSession;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One barrier task of a distributed training: builds a split-step session over its copy of the
 * model, resumes the checkpoint if there is one, agrees with the other tasks on the step and on
 * each task's share of the global batch, then every step computes its gradients, averages them
 * over the ring and applies the average, so the weights stay identical on every task. Task 0
 * writes the checkpoints and exports the model.
 */
public final class TrainingTask<T> extends AbstractFunction1<Iterator<T>, Iterator<TaskReport>>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Source model;
    private final SessionSetup setup;
    private final BatchAssembler<T> assembler;
    private final TrainingSettings settings;

    public TrainingTask(Source model, SessionSetup setup, BatchAssembler<T> assembler, TrainingSettings settings) {
        this.model = model;
        this.setup = setup;
        this.assembler = assembler;
        this.settings = settings;
    }

    @Override
    public Iterator<TaskReport> apply(Iterator<T> partitionRows) {
        BarrierTaskContext task = BarrierTaskContext.get();
        List<T> rows = new ArrayList<>();
        CollectionConverters.asJava(partitionRows).forEachRemaining(rows::add);
        Path checkpoint = settings.checkpoint() == null ? null : Path.of(settings.checkpoint());
        try (Runtime runtime = Runtime.create();
             TrainingSession session = setup.configure(readModel()).splitStep().build(runtime)) {
            if (checkpoint != null && Files.exists(checkpoint)) {
                session.restoreCheckpoint(checkpoint);
            }
            long startStep = session.stepCount();
            // A barrier: no task reads the checkpoint after task 0 has started writing the next one.
            TaskPlan plan = TaskPlan.agree(task, rows.size(), startStep, settings);
            RowCycle<T> cycle = new RowCycle<>(rows, plan.share(), settings.seed(), task.partitionId());
            StepClock clock = new StepClock();
            double loss = Double.NaN;
            try (RingAllReduce ring = RingAllReduce.ofBarrierTasks(task, settings.ringTimeout())) {
                while (session.stepCount() < plan.steps()) {
                    long step = session.stepCount();
                    clock.start();
                    Gradients local = session.computeGradients(assembler.batch(cycle.batch(step)));
                    clock.gradientsDone();
                    Gradients global = GradientAverage.of(local, cycle.share(), ring);
                    clock.allReduceDone();
                    StepResult result = session.applyGradients(global);
                    clock.applyDone();
                    loss = result.loss();
                    if (task.partitionId() == 0 && checkpoint != null && (step + 1) % settings.checkpointEvery() == 0) {
                        session.saveCheckpoint(checkpoint);
                    }
                }
            }
            byte[] exported = task.partitionId() == 0 ? export(session) : null;
            TaskReport report = new TaskReport(task.partitionId(), task.stageAttemptNumber(), startStep,
                    session.stepCount(), loss, digest(session), exported, clock.times());
            return CollectionConverters.asScala(List.of(report).iterator());
        }
    }

    private Model readModel() {
        if (model.path() == null) {
            return OnnxImporter.read(model.bytes());
        }
        try {
            return OnnxImporter.read(model.path());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model to train from " + model.path() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Writes the trained model to the export path and returns null, or returns its bytes when there is none. */
    private byte[] export(TrainingSession session) {
        Model trained = session.exportModel();
        if (settings.exportTo() == null) {
            return OnnxExporter.toBytes(trained);
        }
        try {
            OnnxExporter.write(trained, Path.of(settings.exportTo()));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trained model to " + settings.exportTo() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String digest(TrainingSession session) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Tensor weight : session.weights().values()) {
                sha256.update(weight.data());
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Sums the time of each phase of the steps. */
    private static final class StepClock {
        private long steps;
        private long mark;
        private long gradients;
        private long allReduce;
        private long apply;

        void start() {
            mark = System.nanoTime();
        }

        void gradientsDone() {
            gradients += lap();
        }

        void allReduceDone() {
            allReduce += lap();
        }

        void applyDone() {
            apply += lap();
            steps++;
        }

        StepTimes times() {
            return new StepTimes(steps, Duration.ofNanos(gradients), Duration.ofNanos(allReduce), Duration.ofNanos(apply));
        }

        private long lap() {
            long now = System.nanoTime();
            long elapsed = now - mark;
            mark = now;
            return elapsed;
        }
    }
}
