package dev.tern.server.internal.scheduling;

import dev.tern.server.internal.repository.ModelConfig;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The bounded queue of one {@link RequestScheduler} and the forming of batches from it. Workers
 * call {@link #nextBatch()}; one forms a batch at a time while the others run theirs, so forming
 * the next batch overlaps running the last. Requests leave in priority order
 * ({@link PriorityRequestQueue}); one whose queue timeout passes while it waits gets its level's
 * timeout action at that moment. A queue that does not batch hands out one request at a time.
 * Thread-safe.
 */
final class BatchQueue {
    private final PriorityRequestQueue queue;
    /** Answers a request its level's REJECT policy removed at its queue timeout. */
    private final Consumer<PendingRequest> timedOut;
    private final ModelConfig.Batching config;
    /** The instances the batches run on: a batch stops gathering while one of them is idle. */
    private final InstancePool instances;
    /** The most rows one batch may hold; 0 for a model that does not batch, which never gathers. */
    private final int maxBatchRows;
    /** Held by the worker forming a batch; interruptible so that closing stops a waiting worker. */
    private final Lock forming = new ReentrantLock();
    /** Requests taken from the queue but not yet handed to a worker; guarded by {@link #forming}. */
    private final List<PendingRequest> taken = new ArrayList<>();
    /**
     * Requests offered and not yet started: still queued, taken into a forming batch, or in a
     * batch whose worker waits for an instance. What a caller must not overtake.
     */
    private final AtomicInteger unstarted = new AtomicInteger();
    private volatile boolean closed;

    /** @param timedOut answers a request removed at its queue timeout; runs on a timer thread */
    BatchQueue(ModelConfig.Batching config, int maxBatchRows, InstancePool instances,
               Consumer<PendingRequest> timedOut) {
        this.queue = new PriorityRequestQueue(config.priorities());
        this.timedOut = timedOut;
        this.config = config;
        this.instances = instances;
        this.maxBatchRows = maxBatchRows;
    }

    /** Makes {@link #isClosed()} true, telling the workers to stop after their current batch. */
    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    /** Queues {@code request}; false, at once, when its level's queue is full. */
    boolean offer(PendingRequest request) {
        // Counted first, so that a worker starting it at once never leaves the count below its true value.
        unstarted.incrementAndGet();
        if (!queue.offer(request)) {
            unstarted.decrementAndGet();
            return false;
        }
        long timeout = request.placement().timeoutMicros();
        if (timeout > 0) {
            // Weakly held: a request that ran and was answered need not stay in memory until its timeout.
            WeakReference<PendingRequest> waiting = new WeakReference<>(request);
            // Runs on the JDK's timer thread: a request taken into a batch by then is left alone.
            CompletableFuture.delayedExecutor(timeout, TimeUnit.MICROSECONDS, Runnable::run).execute(() -> {
                PendingRequest stillThere = waiting.get();
                if (stillThere != null) {
                    timeOut(stillThere);
                }
            });
        }
        return true;
    }

    private void timeOut(PendingRequest request) {
        if (queue.timeOut(request)) {
            unstarted.decrementAndGet();
            timedOut.accept(request);
        }
    }

    /** Tells the queue that a worker holds an instance for {@code requests} of its requests, about to run. */
    void started(int requests) {
        unstarted.addAndGet(-requests);
    }

    /** Requests waiting: queued, or in a batch that has not started running. */
    int pending() {
        return unstarted.get();
    }

    /** Whether no request waits: none queued, none in a batch that has not started running. */
    boolean isIdle() {
        return unstarted.get() == 0;
    }

    /**
     * Waits for a request and gathers the ones that batch with it (none when the queue does not
     * batch): until the batch holds {@code max_batch_size} rows, the oldest has waited
     * {@code max_queue_delay}, it reaches a preferred size with nothing else waiting, nothing else
     * waits while an instance is idle, it holds its share of the requests waiting (their number
     * divided by the instance count), or the next request does not fit (that one starts the next
     * batch).
     *
     * <p>Waiting for company is worth it only while every instance is busy: a lone request that
     * finds an idle instance runs at once instead of waiting out the delay, so batching never
     * makes a lightly loaded model slower (measured on 2 cores, waiting gave 0.95x the unbatched
     * throughput: there the transport, not the model, is the cost). An instance freed while this
     * gathers is seen when the next request arrives or at the delay.
     *
     * <p>With several instances, the requests waiting are shared out among them: 8 requests and 2
     * instances make two batches of 4, whether the other instance is idle or finishing a run.
     * One batch of 8 would run no faster than the two (a row of MiniLM costs about the same alone
     * as in a batch of 8 on one thread), and its worker would answer all 8 requests alone: for a
     * model whose run takes microseconds, answering (encoding and writing each response) is most
     * of the work, and it then goes on one thread while the other instance waits for requests.
     *
     * @throws InterruptedException when the scheduler closes while this waits; what was taken
     *     stays for {@link #drain()}
     */
    List<PendingRequest> nextBatch() throws InterruptedException {
        forming.lockInterruptibly();
        try {
            if (taken.isEmpty()) {
                taken.add(queue.take());
            }
            PendingRequest first = taken.get(0);
            PendingRequest misfit = gather(first);
            List<PendingRequest> batch = List.copyOf(taken);
            taken.clear();
            if (misfit != null) {
                taken.add(misfit);
            }
            return batch;
        } finally {
            forming.unlock();
        }
    }

    /**
     * Removes every request not yet handed to a worker. Only once no worker forms a batch any
     * more: the scheduler calls it after stopping its workers.
     */
    List<PendingRequest> drain() {
        forming.lock();
        try {
            List<PendingRequest> left = new ArrayList<>(taken);
            taken.clear();
            left.addAll(queue.drain());
            return left;
        } finally {
            forming.unlock();
        }
    }

    /**
     * The most requests this batch may take: all of them for a model with one instance, else the
     * waiting requests (those taken and those queued) divided among the instances, rounded up.
     */
    private int share() {
        int count = instances.size();
        if (count <= 1) {
            return Integer.MAX_VALUE;
        }
        return Math.max(1, (taken.size() + queue.size() + count - 1) / count);
    }

    /** Adds fitting requests to {@link #taken}; returns one taken from the queue that did not fit, if any. */
    private PendingRequest gather(PendingRequest first) throws InterruptedException {
        long rows = first.rows();
        long dispatchAt = first.arrived() + TimeUnit.MICROSECONDS.toNanos(config.maxQueueDelayMicros());
        int share = share();
        while (rows < maxBatchRows && taken.size() < share) {
            if (queue.isEmpty() && (instances.hasIdle() || config.preferredBatchSizes().contains(rows))) {
                return null;
            }
            long wait = dispatchAt - System.nanoTime();
            PendingRequest next = wait > 0 ? queue.poll(wait) : queue.poll();
            if (next == null) {
                return null;
            }
            if (!next.batchesWith(first) || rows + next.rows() > maxBatchRows) {
                return next;
            }
            taken.add(next);
            rows += next.rows();
        }
        return null;
    }
}
