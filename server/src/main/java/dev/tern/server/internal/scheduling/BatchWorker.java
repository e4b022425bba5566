package dev.tern.server.internal.scheduling;

import java.util.List;

/**
 * One of a scheduler's worker threads: takes the next batch (a single request when the model
 * does not batch) from the queue, waits for an idle instance and runs the batch there with a
 * {@link BatchRunner}, so the answers complete on this thread and the transports write them from
 * here. A scheduler has one worker per instance, so its batches can run on all instances at once.
 * Stops once the queue is closed, or when interrupted while it waits for requests.
 */
final class BatchWorker implements Runnable {
    private final BatchQueue queue;
    private final InstancePool instances;
    private final BatchRunner runner;

    BatchWorker(BatchQueue queue, InstancePool instances, BatchRunner runner) {
        this.queue = queue;
        this.instances = instances;
        this.runner = runner;
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
            ModelInstance instance = instances.take();
            queue.started(batch.size());
            runner.runAndAnswer(batch, instance);
        }
    }
}
