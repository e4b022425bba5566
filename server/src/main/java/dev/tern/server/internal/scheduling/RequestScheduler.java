package dev.tern.server.internal.scheduling;

import dev.tern.exec.Adapter;
import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.Status;
import dev.tern.server.internal.ServerMetrics;
import dev.tern.server.internal.statistics.VersionStatistics;
import dev.tern.server.internal.TransportThreads;
import dev.tern.server.internal.repository.ModelConfig;
import dev.tern.server.internal.repository.ModelVersion;
import dev.tern.server.internal.repository.Priorities;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where the requests to one model version wait and run: a bounded {@link BatchQueue}, an
 * {@link InstancePool} of the version's instances and one {@link BatchWorker} thread per
 * instance, so that with {@code instance_count} 2 two runs go on at once (or one batch forms
 * while another runs). Every model version has one, batched or not, so that no transport thread
 * ever runs a model: the transports decode a request, submit it here and write the answer when
 * its future completes, on the worker's thread.
 *
 * <p>A request submitted from any other thread (an in-process caller, which blocks on the answer
 * anyway) runs on that thread when an instance is idle and no other request waits, sparing it the
 * two thread wake-ups of a handoff to a worker and back. It holds the instance as a worker would,
 * so {@code instance_count} still bounds the runs at once, and it never overtakes a waiting
 * request. This holds for a batching model too: a worker would run such a lone request at once
 * as a batch of one (see below), so running it here changes nothing but the thread.
 *
 * <p>With dynamic batching, requests whose inputs agree on every dimension but the first are
 * concatenated along dim 0, up to {@code max_batch_size} rows or until the oldest has waited
 * {@code max_queue_delay}, run once, and the outputs split back by rows; a batch holds requests
 * for one LoRA adapter only (or for none). Requests gather only
 * while every instance is busy: one that finds nothing else queued and an instance idle runs at
 * once, not after the delay, and the requests queued are shared out among the instances rather
 * than all put in one batch. Without dynamic batching, each request runs alone as soon as an
 * instance is free. Either way a request that finds its level's queue full is refused at once with
 * UNAVAILABLE, and one whose deadline passed while queued is answered DEADLINE_EXCEEDED and not
 * run.
 *
 * <p>With priority levels, batches are formed from the highest level's requests first (level 1);
 * a request whose queue timeout passes before it runs is answered UNAVAILABLE under its level's
 * REJECT policy, and waits behind its level's other requests under DELAY. Does not own the
 * instances.
 */
public final class RequestScheduler implements AutoCloseable {
    private final ModelVersion model;
    private final Priorities priorities;
    private final BatchQueue queue;
    private final InstancePool instances;
    private final BatchRunner runner;
    private final List<Thread> workers = new ArrayList<>();

    /**
     * Starts one worker per instance in {@code instances}, recording into {@code metrics} and {@code statistics}.
     *
     * @param maxBatchRows the most rows one run may gather from several requests; 0 runs each request alone
     */
    public RequestScheduler(ModelVersion model, List<? extends ModelInstance> instances, ModelConfig.Batching config,
                     int maxBatchRows, ServerMetrics metrics, VersionStatistics statistics) {
        this.model = model;
        this.priorities = config.priorities();
        this.instances = new InstancePool(instances);
        this.queue = new BatchQueue(config, maxBatchRows, this.instances, this::rejectTimedOut);
        this.runner = new BatchRunner(model, this.instances, metrics, statistics);
        for (int i = 0; i < instances.size(); i++) {
            Thread worker = new Thread(new BatchWorker(queue, this.instances, runner),
                    "tern-worker-" + model.name() + "-" + model.version() + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
    }

    /**
     * Queues a checked request of {@code rows} rows (see {@link BatchRows}; 0 for a model that
     * does not batch) at {@code placement}, or runs it on the calling thread as the class
     * describes, in which case the result is complete when this returns.
     *
     * @param placement the request's priority level, from 1 to the model's levels, and queue timeout
     * @return its outputs, or a failure: UNAVAILABLE when its level's queue is full, when its queue
     *     timeout passes under a REJECT policy or once the scheduler is closed, DEADLINE_EXCEEDED,
     *     or the run's own failure
     */
    public CompletableFuture<Map<String, Tensor>> submit(Map<String, Tensor> inputs, long rows, Deadline deadline,
                                                         long arrived, QueuePlacement placement) {
        return submit(inputs, rows, null, deadline, arrived, placement);
    }

    /**
     * As {@link #submit(Map, long, Deadline, long, QueuePlacement)}, running with the LoRA
     * {@code adapter}, or the base model when it is null. A batch gathers only requests with the
     * same adapter. The caller keeps the adapter open until the result completes.
     */
    public CompletableFuture<Map<String, Tensor>> submit(Map<String, Tensor> inputs, long rows, Adapter adapter,
                                                         Deadline deadline, long arrived, QueuePlacement placement) {
        PendingRequest pending = PendingRequest.of(inputs, rows, adapter, deadline, arrived, placement);
        if (queue.isClosed()) {
            pending.result().completeExceptionally(
                    Status.unavailable(model.describe() + " is unloading").asException());
        } else if (!ranOnCaller(pending) && !queue.offer(pending)) {
            pending.result().completeExceptionally(Status.unavailable(model.describe() + ": the request queue"
                    + levelName(placement) + " is full (max_queue_size "
                    + priorities.policy(placement.level()).maxQueueSize() + " requests); retry later").asException());
        }
        return pending.result();
    }

    private void rejectTimedOut(PendingRequest pending) {
        pending.result().completeExceptionally(Status.unavailable(model.describe() + ": the request"
                + levelName(pending.placement()) + " waited past its queue timeout of " + pending.placement().timeoutMicros()
                + " us (timeout_action REJECT)").asException());
    }

    /** " of priority level N" for a model with priority levels, else nothing. */
    private String levelName(QueuePlacement placement) {
        return priorities.prioritized() ? " of priority level " + placement.level() : "";
    }

    /** Runs {@code pending} here if this thread may and an instance is idle with no request waiting for one. */
    private boolean ranOnCaller(PendingRequest pending) {
        if (TransportThreads.isCurrent() || !queue.isIdle()) {
            return false;
        }
        ModelInstance instance = instances.tryTake();
        if (instance == null) {
            return false;
        }
        // A request queued since the check above may have a worker waiting for this very instance.
        if (!queue.isIdle()) {
            instances.giveBack(instance);
            return false;
        }
        runner.runAndAnswer(List.of(pending), instance);
        return true;
    }

    /** Requests queued or gathered into a batch and not yet running. */
    public int pendingRequests() {
        return queue.pending();
    }

    /**
     * Stops the workers and answers the requests still queued UNAVAILABLE. May run on a worker:
     * the last answer of a retired model version releases it there; that worker is neither
     * interrupted nor waited for, and stops once its batch is answered.
     */
    @Override
    public void close() {
        queue.close();
        for (Thread worker : workers) {
            if (worker != Thread.currentThread()) {
                worker.interrupt();
                joinUninterruptibly(worker);
            }
        }
        queue.drain().forEach(pending -> pending.result().completeExceptionally(
                Status.unavailable(model.describe() + " was unloaded").asException()));
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
