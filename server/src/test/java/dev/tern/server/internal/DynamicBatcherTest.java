package dev.tern.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.RunControl;
import dev.tern.exec.Runtime;
import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batcher's scheduling with instances that hold each run until the test opens a gate, so
 * that what runs at once is decided by latches, not by timing.
 */
@Timeout(60)
class DynamicBatcherTest {
    private static final ModelConfig.Batching NO_DELAY = new ModelConfig.Batching(0, Set.of(), 16);

    @TempDir
    Path folder;

    private Runtime runtime;
    private ModelVersion model;
    private final CountDownLatch gate = new CountDownLatch(1);

    @BeforeEach
    void loadModel() throws Exception {
        runtime = Runtime.create();
        model = new ModelVersion("identity", 1, IdentityModel.instances(runtime, folder, 1), ModelConfig.defaults(),
                new ServerMetrics());
    }

    @AfterEach
    void unloadModel() {
        gate.countDown();
        model.retire();
        runtime.close();
    }

    @Test
    void twoInstancesRunTwoBatchesAtOnce() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        GatedInstance first = new GatedInstance(bothRunning);
        GatedInstance second = new GatedInstance(bothRunning);
        try (DynamicBatcher batcher = new DynamicBatcher(model, List.of(first, second), NO_DELAY, 1,
                new ServerMetrics())) {
            CompletableFuture<Map<String, Tensor>> one = submit(batcher, 1f);
            CompletableFuture<Map<String, Tensor>> two = submit(batcher, 2f);

            assertTrue(bothRunning.await(30, TimeUnit.SECONDS), "the two batches never ran at the same time");
            assertEquals(List.of(1L), first.batchRows);
            assertEquals(List.of(1L), second.batchRows);
            gate.countDown();
            assertEquals(1f, value(one));
            assertEquals(2f, value(two));
        }
    }

    @Test
    void requestsArrivingDuringARunFormTheNextBatch() throws Exception {
        GatedInstance instance = new GatedInstance(new CountDownLatch(1));
        try (DynamicBatcher batcher = new DynamicBatcher(model, List.of(instance), NO_DELAY, 8,
                new ServerMetrics())) {
            CompletableFuture<Map<String, Tensor>> running = submit(batcher, 1f);
            assertTrue(instance.running.await(30, TimeUnit.SECONDS));
            // The only worker is busy, so these wait in the queue until it is done.
            List<CompletableFuture<Map<String, Tensor>>> queued = List.of(submit(batcher, 2f), submit(batcher, 3f),
                    submit(batcher, 4f));
            gate.countDown();

            assertEquals(1f, value(running));
            for (int i = 0; i < queued.size(); i++) {
                assertEquals(i + 2f, value(queued.get(i)));
            }
            assertEquals(List.of(1L, 3L), instance.batchRows);
        }
    }

    @Test
    void closingLetsTheRunningBatchFinishAndAnswersQueuedRequestsUnavailable() throws Exception {
        GatedInstance instance = new GatedInstance(new CountDownLatch(1));
        DynamicBatcher batcher = new DynamicBatcher(model, List.of(instance), NO_DELAY, 1, new ServerMetrics());
        CompletableFuture<Map<String, Tensor>> running = submit(batcher, 1f);
        assertTrue(instance.running.await(30, TimeUnit.SECONDS));
        CompletableFuture<Map<String, Tensor>> queued = submit(batcher, 2f);

        Thread closer = new Thread(batcher::close, "closer");
        closer.start();
        // close() waits for the worker, which is still in its run.
        while (closer.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }
        gate.countDown();
        closer.join();

        assertEquals(1f, value(running));
        assertEquals(Status.Code.UNAVAILABLE, failure(queued).code());
        assertEquals(Status.Code.UNAVAILABLE, failure(submit(batcher, 3f)).code());
        assertEquals(List.of(1L), instance.batchRows);
    }

    private static CompletableFuture<Map<String, Tensor>> submit(DynamicBatcher batcher, float value) {
        return batcher.submit(Map.of("x", Tensor.ofFloats("x", new long[] {1}, value)), 1, Deadline.none(),
                System.nanoTime());
    }

    private static float value(CompletableFuture<Map<String, Tensor>> result) throws Exception {
        Tensor x = result.get(30, TimeUnit.SECONDS).get("x");
        assertEquals(1, x.dims()[0], "each request gets its own single row back");
        return x.data().getFloat(0);
    }

    private static Status failure(CompletableFuture<Map<String, Tensor>> result) {
        ExecutionException error = assertThrows(ExecutionException.class, () -> result.get(30, TimeUnit.SECONDS));
        return assertInstanceOf(StatusException.class, error.getCause()).status();
    }

    /**
     * Counts down {@code running} when a run starts, then holds it until the gate opens, ignoring
     * interrupts as a native run does; answers its inputs unchanged and records each batch's rows.
     */
    private final class GatedInstance implements ModelInstance {
        final CountDownLatch running;
        final List<Long> batchRows = new CopyOnWriteArrayList<>();

        GatedInstance(CountDownLatch running) {
            this.running = running;
        }

        @Override
        public Map<String, Tensor> run(Map<String, Tensor> inputs, RunControl control) {
            batchRows.add(inputs.get("x").dims()[0]);
            running.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    gate.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return inputs;
        }
    }
}
