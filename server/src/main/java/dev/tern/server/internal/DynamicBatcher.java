package dev.tern.server.internal;

import dev.tern.exec.RunControl;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the requests to one model version into batches: requests whose inputs agree on
 * every dimension but the first are concatenated along dim 0, up to {@code max_batch_size}
 * rows or until the oldest has waited {@code max_queue_delay}, run once, and the outputs split
 * back by rows. The queue is bounded: a request that finds it full is refused at once with
 * RESOURCE_EXHAUSTED. A request whose deadline passed while queued is answered
 * DEADLINE_EXCEEDED and not run. One dispatcher thread per batcher runs the batches.
 */
final class DynamicBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

    private final ModelVersion model;
    private final ModelConfig.Batching config;
    private final int maxBatchSize;
    private final ServerMetrics metrics;
    private final BlockingQueue<Pending> queue;
    private final Thread dispatcher;
    private volatile boolean closed;

    /** One queued request. {@code shapeKey} holds every input's dims but the first: what must agree to batch. */
    private record Pending(Map<String, Tensor> inputs, long rows, String shapeKey, Deadline deadline, long arrived,
                           CompletableFuture<Map<String, Tensor>> result) {
    }

    DynamicBatcher(ModelVersion model, ModelConfig.Batching config, int maxBatchSize, ServerMetrics metrics) {
        this.model = model;
        this.config = config;
        this.maxBatchSize = maxBatchSize;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(config.maxQueueSize());
        this.dispatcher = new Thread(this::dispatch, "tern-batcher-" + model.name() + "-" + model.version());
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    /**
     * Queues a checked request of {@code rows} rows (see {@link BatchRows}).
     *
     * @return its outputs, or a failure: RESOURCE_EXHAUSTED when the queue is full, DEADLINE_EXCEEDED,
     *     UNAVAILABLE once the batcher is closed, or the run's own failure
     */
    CompletableFuture<Map<String, Tensor>> submit(Map<String, Tensor> inputs, long rows, Deadline deadline,
                                                  long arrived) {
        CompletableFuture<Map<String, Tensor>> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(Status.unavailable(model.describe() + " is unloading").asException());
            return result;
        }
        if (!queue.offer(new Pending(inputs, rows, shapeKey(inputs), deadline, arrived, result))) {
            result.completeExceptionally(Status.of(Status.Code.RESOURCE_EXHAUSTED, model.describe()
                    + ": the batching queue is full (" + config.maxQueueSize() + " requests); retry later")
                    .asException());
        }
        return result;
    }

    /**
     * Stops the dispatcher; requests still queued are answered UNAVAILABLE. May run on the
     * dispatcher itself: the last answer of a retired model version releases it there.
     */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() != dispatcher) {
            dispatcher.interrupt();
            try {
                dispatcher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(pending -> pending.result().completeExceptionally(
                Status.unavailable(model.describe() + " was unloaded").asException()));
    }

    private void dispatch() {
        Pending carried = null;
        while (!closed) {
            try {
                Pending first = carried != null ? carried : queue.take();
                carried = null;
                List<Pending> batch = new ArrayList<>(List.of(first));
                carried = gather(first, batch);
                run(batch);
            } catch (InterruptedException e) {
                if (carried != null) {
                    queue.offer(carried);
                }
                return;
            } catch (RuntimeException e) {
                // A bug in batching must not stop the dispatcher: the batch already failed, serve the next.
                LOG.error("{}: batching failed", model.describe(), e);
            }
        }
    }

    /**
     * Adds requests that fit to {@code batch} until it is full, the oldest has waited long
     * enough, or it reaches a preferred size with nothing else waiting; returns a request
     * taken from the queue that did not fit, to start the next batch.
     */
    private Pending gather(Pending first, List<Pending> batch) throws InterruptedException {
        long rows = first.rows();
        long dispatchAt = first.arrived() + TimeUnit.MICROSECONDS.toNanos(config.maxQueueDelayMicros());
        while (rows < maxBatchSize) {
            if (config.preferredBatchSizes().contains(rows) && queue.isEmpty()) {
                return null;
            }
            long wait = dispatchAt - System.nanoTime();
            Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                return null;
            }
            if (!next.shapeKey().equals(first.shapeKey()) || rows + next.rows() > maxBatchSize) {
                return next;
            }
            batch.add(next);
            rows += next.rows();
        }
        return null;
    }

    private void run(List<Pending> candidates) {
        List<Pending> batch = new ArrayList<>();
        for (Pending pending : candidates) {
            if (pending.deadline().isExpired()) {
                pending.result().completeExceptionally(Status.of(Status.Code.DEADLINE_EXCEEDED, model.describe()
                        + ": the request's deadline passed while it waited for a batch").asException());
            } else {
                batch.add(pending);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        batch.forEach(pending -> metrics.queued(model, started - pending.arrived()));
        Map<String, Tensor> outputs;
        try {
            Map<String, Tensor> inputs = batch.size() == 1 ? batch.get(0).inputs() : concatenate(batch);
            outputs = model.nextInstance().run(inputs, runControl(batch));
        } catch (RuntimeException e) {
            Throwable status = ExecErrors.toStatus(e, model);
            batch.forEach(pending -> pending.result().completeExceptionally(status));
            return;
        }
        metrics.ran(model, System.nanoTime() - started, batch.size());
        if (batch.size() == 1) {
            batch.get(0).result().complete(outputs);
            return;
        }
        split(outputs, batch);
    }

    /** A batch runs until the latest of its requests' deadlines; without deadlines, unbounded. */
    private static RunControl runControl(List<Pending> batch) {
        Duration latest = Duration.ZERO;
        for (Pending pending : batch) {
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

    private static Map<String, Tensor> concatenate(List<Pending> batch) {
        long rows = batch.stream().mapToLong(Pending::rows).sum();
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : batch.get(0).inputs().entrySet()) {
            String name = entry.getKey();
            Tensor first = entry.getValue();
            long[] dims = first.dims().clone();
            dims[0] = rows;
            if (first.elementType() == ElementType.STRING) {
                List<byte[]> strings = new ArrayList<>();
                batch.forEach(pending -> strings.addAll(pending.inputs().get(name).strings()));
                inputs.put(name, Tensor.ofStrings(name, dims, strings));
                continue;
            }
            long bytes = batch.stream().mapToLong(pending -> pending.inputs().get(name).byteSize()).sum();
            ByteBuffer data = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
            batch.forEach(pending -> data.put(pending.inputs().get(name).data()));
            data.flip();
            inputs.put(name, Tensor.of(name, first.elementType(), dims, data));
        }
        return inputs;
    }

    /** Hands each request its rows of every output; all fail if an output does not batch along dim 0. */
    private void split(Map<String, Tensor> outputs, List<Pending> batch) {
        long rows = batch.stream().mapToLong(Pending::rows).sum();
        for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
            long[] dims = output.getValue().dims();
            if (dims.length == 0 || dims[0] != rows) {
                Throwable error = Status.internal(model.describe() + ": output '" + output.getKey() + "' has shape "
                        + Arrays.toString(dims) + " for a batch of " + rows + " rows; a model with max_batch_size"
                        + " must keep the batch in dim 0 of every output").asException();
                batch.forEach(pending -> pending.result().completeExceptionally(error));
                return;
            }
        }
        long offset = 0;
        for (Pending pending : batch) {
            Map<String, Tensor> own = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
                own.put(output.getKey(), rows(output.getValue(), offset, pending.rows(), rows));
            }
            offset += pending.rows();
            pending.result().complete(own);
        }
    }

    /** Rows {@code [from, from + count)} of {@code tensor}, sharing its memory. */
    private static Tensor rows(Tensor tensor, long from, long count, long totalRows) {
        long[] dims = tensor.dims().clone();
        dims[0] = count;
        if (tensor.elementType() == ElementType.STRING) {
            int perRow = Math.toIntExact(tensor.elementCount() / totalRows);
            List<byte[]> strings = tensor.strings().subList(Math.toIntExact(from * perRow),
                    Math.toIntExact((from + count) * perRow));
            return Tensor.ofStrings(tensor.name(), dims, strings);
        }
        long rowBytes = tensor.byteSize() / totalRows;
        ByteBuffer slice = tensor.data()
                .position(Math.toIntExact(from * rowBytes))
                .limit(Math.toIntExact((from + count) * rowBytes))
                .slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        return Tensor.of(tensor.name(), tensor.elementType(), dims, slice);
    }

    private static String shapeKey(Map<String, Tensor> inputs) {
        StringBuilder key = new StringBuilder();
        for (Map.Entry<String, Tensor> input : new TreeMap<>(inputs).entrySet()) {
            long[] dims = input.getValue().dims();
            key.append(input.getKey()).append(Arrays.toString(Arrays.copyOfRange(dims, 1, dims.length))).append(';');
        }
        return key.toString();
    }
}
