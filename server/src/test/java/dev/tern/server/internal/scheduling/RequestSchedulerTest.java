package dev.tern.server.internal.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.RunControl;
import dev.tern.exec.Runtime;
import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import dev.tern.server.internal.IdentityModel;
import dev.tern.server.internal.ServerMetrics;
import dev.tern.server.internal.TransportThreads;
import dev.tern.server.internal.repository.ModelConfig;
import dev.tern.server.internal.repository.ModelVersion;
import dev.tern.server.internal.statistics.VersionStatistics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduling of batched and unbatched requests with instances that hold each run until the
 * test opens a gate, so that what runs at once is decided by latches, not by timing. Requests
 * meant for the queue are submitted from a transport thread, since a request from any other
 * thread runs there when an instance is idle and no other request waits.
 */
@Timeout(60)
class RequestSchedulerTest {
    private static final ModelConfig.Batching NO_DELAY = new ModelConfig.Batching(0, Set.of(), 16);
    /** How a model without dynamic batching queues; with 0 batch rows each request runs alone. */
    private static final ModelConfig.Batching UNBATCHED = ModelConfig.defaults().queueing();

    @TempDir
    Path folder;

    private Runtime runtime;
    private ModelVersion model;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final ExecutorService transport = Executors.newSingleThreadExecutor(TransportThreads.factory("test-io"));

    @BeforeEach
    void loadModel() throws Exception {
        runtime = Runtime.create();
        model = new ModelVersion("identity", 1, IdentityModel.instances(runtime, folder, 1), ModelConfig.defaults(),
                new ServerMetrics());
    }

    @AfterEach
    void unloadModel() {
        gate.countDown();
        transport.shutdownNow();
        model.retire();
        runtime.close();
    }

    @Test
    void twoInstancesRunTwoBatchesAtOnce() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        GatedInstance first = new GatedInstance(bothRunning);
        GatedInstance second = new GatedInstance(bothRunning);
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(first, second), NO_DELAY, 1,
                new ServerMetrics(), new VersionStatistics())) {
            CompletableFuture<Map<String, Tensor>> one = batchedFromTransport(scheduler, 1f);
            CompletableFuture<Map<String, Tensor>> two = batchedFromTransport(scheduler, 2f);

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
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(instance), NO_DELAY, 8,
                new ServerMetrics(), new VersionStatistics())) {
            CompletableFuture<Map<String, Tensor>> running = batchedFromTransport(scheduler, 1f);
            assertTrue(instance.running.await(30, TimeUnit.SECONDS));
            // The only worker is busy, so these wait in the queue until it is done.
            List<CompletableFuture<Map<String, Tensor>>> queued = List.of(batchedFromTransport(scheduler, 2f), batchedFromTransport(scheduler, 3f),
                    batchedFromTransport(scheduler, 4f));
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
        RequestScheduler scheduler = new RequestScheduler(model, List.of(instance), NO_DELAY, 1, new ServerMetrics(), new VersionStatistics());
        CompletableFuture<Map<String, Tensor>> running = batchedFromTransport(scheduler, 1f);
        assertTrue(instance.running.await(30, TimeUnit.SECONDS));
        CompletableFuture<Map<String, Tensor>> queued = batchedFromTransport(scheduler, 2f);

        Thread closer = new Thread(scheduler::close, "closer");
        closer.start();
        // close() waits for the worker, which is still in its run.
        while (closer.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }
        gate.countDown();
        closer.join();

        assertEquals(1f, value(running));
        assertEquals(Status.Code.UNAVAILABLE, failure(queued).code());
        assertEquals(Status.Code.UNAVAILABLE, failure(batchedFromTransport(scheduler, 3f)).code());
        assertEquals(List.of(1L), instance.batchRows);
    }

    @Test
    void twoInstancesRunTwoUnbatchedRequestsAtOnce() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        GatedInstance first = new GatedInstance(bothRunning);
        GatedInstance second = new GatedInstance(bothRunning);
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(first, second), UNBATCHED, 0,
                new ServerMetrics(), new VersionStatistics())) {
            CompletableFuture<Map<String, Tensor>> one = fromTransport(scheduler, 1f);
            CompletableFuture<Map<String, Tensor>> two = fromTransport(scheduler, 2f);

            assertTrue(bothRunning.await(30, TimeUnit.SECONDS), "the two requests never ran at the same time");
            gate.countDown();
            assertEquals(1f, value(one));
            assertEquals(2f, value(two));
        }
    }

    @Test
    void unbatchedRequestsQueuedTogetherStillRunOneAtATime() throws Exception {
        GatedInstance instance = new GatedInstance(new CountDownLatch(1));
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(instance), UNBATCHED, 0,
                new ServerMetrics(), new VersionStatistics())) {
            CompletableFuture<Map<String, Tensor>> running = fromTransport(scheduler, 1f);
            assertTrue(instance.running.await(30, TimeUnit.SECONDS));
            List<CompletableFuture<Map<String, Tensor>>> queued = List.of(fromTransport(scheduler, 2f),
                    fromTransport(scheduler, 3f));
            gate.countDown();

            assertEquals(1f, value(running));
            assertEquals(2f, value(queued.get(0)));
            assertEquals(3f, value(queued.get(1)));
            assertEquals(List.of(1L, 1L, 1L), instance.batchRows);
        }
    }

    @Test
    void fullUnbatchedQueueRefusesWithUnavailable() throws Exception {
        GatedInstance instance = new GatedInstance(new CountDownLatch(1));
        ModelConfig.Batching oneWaiting = new ModelConfig.Batching(0, Set.of(), 1);
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(instance), oneWaiting, 0,
                new ServerMetrics(), new VersionStatistics())) {
            CompletableFuture<Map<String, Tensor>> running = fromTransport(scheduler, 1f);
            assertTrue(instance.running.await(30, TimeUnit.SECONDS));
            CompletableFuture<Map<String, Tensor>> queued = fromTransport(scheduler, 2f);

            Status refused = failure(fromTransport(scheduler, 3f));
            assertEquals(Status.Code.UNAVAILABLE, refused.code());
            assertTrue(refused.message().contains("model 'identity' version 1: the request queue is full"
                            + " (max_queue_size 1 requests)"),
                    refused.message());
            gate.countDown();
            assertEquals(1f, value(running));
            assertEquals(2f, value(queued));
        }
    }

    @Test
    void unbatchedRequestsMayHaveScalarInputs() throws Exception {
        gate.countDown();
        GatedInstance instance = new GatedInstance(new CountDownLatch(1));
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(instance), UNBATCHED, 0,
                new ServerMetrics(), new VersionStatistics())) {
            Tensor answer = scheduler.submit(Map.of("x", Tensor.ofFloats("x", new long[] {}, 4f)), 0,
                    Deadline.none(), System.nanoTime(), QueuePlacement.UNPRIORITIZED).get(30, TimeUnit.SECONDS).get("x");
            assertEquals(0, answer.dims().length);
            assertEquals(4f, answer.data().getFloat(0));
        }
    }

    @Test
    void anIdleInstanceRunsARequestOnTheCallingThread() throws Exception {
        gate.countDown();
        GatedInstance instance = new GatedInstance(new CountDownLatch(1));
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(instance), UNBATCHED, 0,
                new ServerMetrics(), new VersionStatistics())) {
            CompletableFuture<Map<String, Tensor>> answer = submitUnbatched(scheduler, 1f);

            assertTrue(answer.isDone(), "the request was not run before submit returned");
            assertEquals(1f, value(answer));
            assertEquals(List.of(Thread.currentThread().getName()), instance.threads);
        }
    }

    @Test
    void transportThreadsQueueEvenWhenAnInstanceIsIdle() throws Exception {
        gate.countDown();
        GatedInstance instance = new GatedInstance(new CountDownLatch(1));
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(instance), UNBATCHED, 0,
                new ServerMetrics(), new VersionStatistics())) {
            assertEquals(1f, value(fromTransport(scheduler, 1f)));
            assertEquals(List.of("tern-worker-identity-1-0"), instance.threads);
        }
    }

    @Test
    void aLoneRequestToABatchingModelRunsOnTheCallingThread() throws Exception {
        gate.countDown();
        GatedInstance instance = new GatedInstance(new CountDownLatch(1));
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(instance), NO_DELAY, 8,
                new ServerMetrics(), new VersionStatistics())) {
            CompletableFuture<Map<String, Tensor>> answer = submit(scheduler, 1f);

            assertTrue(answer.isDone(), "the lone request was not run before submit returned");
            assertEquals(1f, value(answer));
            assertEquals(List.of(Thread.currentThread().getName()), instance.threads);
            assertEquals(List.of(1L), instance.batchRows);
        }
    }

    @Test
    void callersRequestsToABatchingModelJoinOneBatchWhileTheInstanceIsBusy() throws Exception {
        GatedInstance instance = new GatedInstance(new CountDownLatch(1));
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(instance), NO_DELAY, 8,
                new ServerMetrics(), new VersionStatistics())) {
            CompletableFuture<Map<String, Tensor>> running = batchedFromTransport(scheduler, 1f);
            assertTrue(instance.running.await(30, TimeUnit.SECONDS));

            List<CompletableFuture<Map<String, Tensor>>> queued = List.of(submit(scheduler, 2f), submit(scheduler, 3f));
            assertFalse(queued.get(0).isDone(), "a caller ran its request although the only instance was busy");
            gate.countDown();

            assertEquals(1f, value(running));
            assertEquals(2f, value(queued.get(0)));
            assertEquals(3f, value(queued.get(1)));
            assertEquals(List.of(1L, 2L), instance.batchRows);
            assertEquals(List.of("tern-worker-identity-1-0", "tern-worker-identity-1-0"), instance.threads);
        }
    }

    @Test
    void aCallerQueuesWhileEveryInstanceIsBusy() throws Exception {
        GatedInstance instance = new GatedInstance(new CountDownLatch(1));
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(instance), UNBATCHED, 0,
                new ServerMetrics(), new VersionStatistics())) {
            CompletableFuture<Map<String, Tensor>> running = fromTransport(scheduler, 1f);
            assertTrue(instance.running.await(30, TimeUnit.SECONDS));

            CompletableFuture<Map<String, Tensor>> queued = submitUnbatched(scheduler, 2f);
            assertFalse(queued.isDone(), "the caller ran its request although the only instance was busy");
            gate.countDown();

            assertEquals(1f, value(running));
            assertEquals(2f, value(queued));
            assertEquals(List.of("tern-worker-identity-1-0", "tern-worker-identity-1-0"), instance.threads);
        }
    }

    @Test
    void callersRunNoMoreRequestsAtOnceThanThereAreInstances() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        GatedInstance first = new GatedInstance(bothRunning);
        GatedInstance second = new GatedInstance(bothRunning);
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(first, second), UNBATCHED, 0,
                new ServerMetrics(), new VersionStatistics())) {
            CompletableFuture<Map<String, Tensor>> one = fromCaller(scheduler, 1f, "caller-1");
            CompletableFuture<Map<String, Tensor>> two = fromCaller(scheduler, 2f, "caller-2");
            assertTrue(bothRunning.await(30, TimeUnit.SECONDS), "the two callers never ran at the same time");

            CompletableFuture<Map<String, Tensor>> third = submitUnbatched(scheduler, 3f);
            assertFalse(third.isDone(), "a third request ran while both instances were busy");
            gate.countDown();

            assertEquals(1f, value(one));
            assertEquals(2f, value(two));
            assertEquals(3f, value(third));
            assertEquals(Set.of("caller-1", "caller-2"), Set.of(first.threads.get(0), second.threads.get(0)));
            List<String> thirdRan = first.threads.size() == 2 ? first.threads : second.threads;
            assertTrue(thirdRan.get(1).startsWith("tern-worker-identity-1-"), thirdRan.toString());
        }
    }

    @Test
    void callersQueueBehindWaitingRequestsInOrder() throws Exception {
        GatedInstance instance = new GatedInstance(new CountDownLatch(1));
        try (RequestScheduler scheduler = new RequestScheduler(model, List.of(instance), UNBATCHED, 0,
                new ServerMetrics(), new VersionStatistics())) {
            CompletableFuture<Map<String, Tensor>> running = fromCaller(scheduler, 1f, "caller-1");
            assertTrue(instance.running.await(30, TimeUnit.SECONDS));
            // Queued, or taken by the worker waiting for the instance the caller holds: either way it waits.
            CompletableFuture<Map<String, Tensor>> waiting = fromTransport(scheduler, 2f);
            CompletableFuture<Map<String, Tensor>> later = submitUnbatched(scheduler, 3f);
            assertFalse(later.isDone(), "the caller ran its request ahead of one waiting");
            gate.countDown();

            assertEquals(1f, value(running));
            assertEquals(2f, value(waiting));
            assertEquals(3f, value(later));
            assertEquals(List.of(1f, 2f, 3f), instance.values);
        }
    }

    /** Submits from a thread of the server's transports, which never runs a model. */
    private CompletableFuture<Map<String, Tensor>> fromTransport(RequestScheduler scheduler, float value)
            throws Exception {
        return transport.submit(() -> submitUnbatched(scheduler, value)).get(30, TimeUnit.SECONDS);
    }

    /** Submits a one-row request to a batching model from a thread of the server's transports. */
    private CompletableFuture<Map<String, Tensor>> batchedFromTransport(RequestScheduler scheduler, float value)
            throws Exception {
        return transport.submit(() -> submit(scheduler, value)).get(30, TimeUnit.SECONDS);
    }

    /** Submits from a new plain thread named {@code name}, which may run the request itself and then blocks in it. */
    private static CompletableFuture<Map<String, Tensor>> fromCaller(RequestScheduler scheduler, float value,
                                                                     String name) {
        CompletableFuture<Map<String, Tensor>> answer = new CompletableFuture<>();
        Thread caller = new Thread(() -> submitUnbatched(scheduler, value).whenComplete((outputs, error) -> {
            if (error == null) {
                answer.complete(outputs);
            } else {
                answer.completeExceptionally(error);
            }
        }), name);
        caller.start();
        return answer;
    }

    private static CompletableFuture<Map<String, Tensor>> submitUnbatched(RequestScheduler scheduler, float value) {
        return scheduler.submit(Map.of("x", Tensor.ofFloats("x", new long[] {1}, value)), 0, Deadline.none(),
                System.nanoTime(), QueuePlacement.UNPRIORITIZED);
    }

    private static CompletableFuture<Map<String, Tensor>> submit(RequestScheduler scheduler, float value) {
        return scheduler.submit(Map.of("x", Tensor.ofFloats("x", new long[] {1}, value)), 1, Deadline.none(),
                System.nanoTime(), QueuePlacement.UNPRIORITIZED);
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
     * interrupts as a native run does; answers its inputs unchanged and records each batch's rows,
     * first value and thread.
     */
    private final class GatedInstance implements ModelInstance {
        final CountDownLatch running;
        final List<Long> batchRows = new CopyOnWriteArrayList<>();
        final List<Float> values = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        GatedInstance(CountDownLatch running) {
            this.running = running;
        }

        @Override
        public Map<String, Tensor> run(Map<String, Tensor> inputs, RunControl control) {
            long[] dims = inputs.get("x").dims();
            batchRows.add(dims.length == 0 ? 1 : dims[0]);
            values.add(inputs.get("x").data().getFloat(0));
            threads.add(Thread.currentThread().getName());
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
