package dev.tern.server.internal;

import dev.tern.exec.RunControl;
import dev.tern.ir.Tensor;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a scheduler's batches on one model instance, one batch at a time: takes the next batch
 * (a single request when the model does not batch) from the queue, answers the requests whose
 * deadline passed while they waited without running them, runs the rest together and hands
 * each request its rows. The answers complete on this thread, so the transports write them
 * from here. A scheduler has one worker per instance, so its batches run on all instances at
 * once. Stops once the queue is closed, or when interrupted while it waits for requests.
 */
final class BatchWorker implements Runnable {
    private final BatchQueue queue;
    private final ModelInstance instance;
    private final ModelVersion model;
    private final ServerMetrics metrics;

    BatchWorker(BatchQueue queue, ModelInstance instance, ModelVersion model, ServerMetrics metrics) {
        this.queue = queue;
        this.instance = instance;
        this.model = model;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        while (!queue.isClosed()) {
            List<PendingRequest> batch;
            try {
                batch = queue.nextBatch();
            } catch (InterruptedException e) {
                return;
            }
            runAndAnswer(withoutExpired(batch));
        }
    }

    private List<PendingRequest> withoutExpired(List<PendingRequest> batch) {
        List<PendingRequest> live = new ArrayList<>();
        for (PendingRequest pending : batch) {
            if (pending.deadline().isExpired()) {
                pending.result().completeExceptionally(Status.of(Status.Code.DEADLINE_EXCEEDED, model.describe()
                        + ": the request's deadline passed while it was queued").asException());
            } else {
                live.add(pending);
            }
        }
        return live;
    }

    /** Any failure, a bug in batching included, fails this batch only: the worker goes on with the next. */
    private void runAndAnswer(List<PendingRequest> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Map<String, Tensor>> answers;
        try {
            long started = System.nanoTime();
            batch.forEach(pending -> metrics.queued(model, started - pending.arrived()));
            Map<String, Tensor> inputs = batch.size() == 1 ? batch.get(0).inputs() : BatchTensors.concatenate(batch);
            Map<String, Tensor> outputs = instance.run(inputs, runControl(batch));
            metrics.ran(model, System.nanoTime() - started, batch.size());
            answers = batch.size() == 1 ? List.of(outputs) : BatchTensors.split(outputs, batch, model);
        } catch (RuntimeException e) {
            StatusException status = ExecErrors.toStatus(e, model);
            batch.forEach(pending -> pending.result().completeExceptionally(status));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(answers.get(i));
        }
    }

    /** A batch runs until the latest of its requests' deadlines; without deadlines, unbounded. */
    private static RunControl runControl(List<PendingRequest> batch) {
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
}
