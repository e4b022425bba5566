package dev.tern.server.internal.scheduling;

import dev.tern.exec.Adapter;
import dev.tern.exec.RunControl;
import dev.tern.ir.Tensor;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import dev.tern.server.internal.ExecErrors;
import dev.tern.server.internal.ServerMetrics;
import dev.tern.server.internal.statistics.VersionStatistics;
import dev.tern.server.internal.repository.ModelVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one batch (a single request when the model does not batch) on an instance taken from an
 * {@link InstancePool}, on the calling thread, and answers its requests: those whose deadline
 * passed while they waited are answered DEADLINE_EXCEEDED without running, the rest run together
 * and each gets its rows. Used by the workers and by callers that run their own request, so both
 * record the same queueing and compute times and keep the same deadlines.
 */
final class BatchRunner {
    private final ModelVersion model;
    private final InstancePool instances;
    private final ServerMetrics metrics;
    private final VersionStatistics statistics;

    BatchRunner(ModelVersion model, InstancePool instances, ServerMetrics metrics, VersionStatistics statistics) {
        this.model = model;
        this.instances = instances;
        this.metrics = metrics;
        this.statistics = statistics;
    }

    /**
     * Runs {@code batch} on {@code instance}, which the caller took from the pool and this gives
     * back before answering: completing an answer runs the transport's encoding and write (or an
     * in-process caller's own continuation) on this thread, and the next run need not wait for it.
     */
    void runAndAnswer(List<PendingRequest> batch, ModelInstance instance) {
        List<Answer> answers;
        try {
            answers = run(batch, instance);
        } finally {
            instances.giveBack(instance);
        }
        answers.forEach(Answer::send);
    }

    private List<Answer> run(List<PendingRequest> batch, ModelInstance instance) {
        List<Answer> answers = new ArrayList<>();
        List<PendingRequest> live = new ArrayList<>();
        for (PendingRequest pending : batch) {
            if (pending.deadline().isExpired()) {
                answers.add(Answer.failed(pending, Status.of(Status.Code.DEADLINE_EXCEEDED, model.describe()
                        + ": the request's deadline passed while it was queued").asException()));
            } else {
                live.add(pending);
            }
        }
        if (!live.isEmpty()) {
            answers.addAll(runLive(live, instance));
        }
        return answers;
    }

    /** Any failure, a bug in batching included, fails this batch only. */
    private List<Answer> runLive(List<PendingRequest> batch, ModelInstance instance) {
        List<Map<String, Tensor>> outputs;
        try {
            long started = System.nanoTime();
            for (PendingRequest pending : batch) {
                metrics.queued(model, started - pending.arrived());
                statistics.queued(started - pending.arrived());
            }
            Map<String, Tensor> inputs = batch.size() == 1 ? batch.get(0).inputs() : BatchTensors.concatenate(batch);
            long inputsReady = System.nanoTime();
            Map<String, Tensor> joined = instance.run(inputs, runControl(batch));
            long ran = System.nanoTime();
            metrics.ran(model, ran - started, batch.size());
            outputs = batch.size() == 1 ? List.of(joined) : BatchTensors.split(joined, batch, model);
            statistics.ran(batch.size(), inferences(batch), inputsReady - started, ran - inputsReady,
                    System.nanoTime() - ran);
        } catch (RuntimeException e) {
            StatusException status = ExecErrors.toStatus(e, model);
            return batch.stream().map(pending -> Answer.failed(pending, status)).toList();
        }
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            answers.add(new Answer(batch.get(i), outputs.get(i), null));
        }
        return answers;
    }

    /** The inferences a batch holds: its rows, a request to a model that does not batch counting one. */
    private static long inferences(List<PendingRequest> batch) {
        long inferences = 0;
        for (PendingRequest pending : batch) {
            inferences += Math.max(1, pending.rows());
        }
        return inferences;
    }

    /** A batch runs with its requests' one adapter, if any, until the latest of their deadlines. */
    private static RunControl runControl(List<PendingRequest> batch) {
        RunControl limits = runLimits(batch);
        Adapter adapter = batch.get(0).adapter();
        return adapter == null ? limits : limits.withAdapter(adapter);
    }

    /** A batch runs until the latest of its requests' deadlines; without deadlines, unbounded. */
    private static RunControl runLimits(List<PendingRequest> batch) {
        Duration latest = Duration.ZERO;
        for (PendingRequest pending : batch) {
            if (!pending.deadline().isLimited()) {
                return RunControl.none();
            }
            Duration left = pending.deadline().remaining().orElseThrow();
            if (left.compareTo(latest) > 0) {
                latest = left;
            }
        }
        return latest.isZero() || latest.isNegative() ? RunControl.none() : RunControl.timeout(latest);
    }

    /** One request's outputs, or its failure when {@code outputs} is null, not yet sent. */
    private record Answer(PendingRequest request, Map<String, Tensor> outputs, StatusException failure) {
        static Answer failed(PendingRequest request, StatusException failure) {
            return new Answer(request, null, failure);
        }

        void send() {
            if (outputs == null) {
                request.result().completeExceptionally(failure);
            } else {
                request.result().complete(outputs);
            }
        }
    }
}
