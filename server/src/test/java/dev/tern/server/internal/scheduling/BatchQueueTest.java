package dev.tern.server.internal.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.internal.repository.ModelConfig;
import dev.tern.server.internal.repository.Priorities;
import dev.tern.server.internal.repository.QueuePolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What a caller that wants to run its own request must not overtake (requests offered and not
 * started), and when a batch stops gathering.
 */
class BatchQueueTest {
    private static final ModelConfig.Batching ONE_WAITING = new ModelConfig.Batching(0, Set.of(), 1);
    /** A delay no test waits out: a batch that gathers until it would time the test out. */
    private static final ModelConfig.Batching LONG_DELAY = new ModelConfig.Batching(60_000_000, Set.of(), 8);
    /** What answers timed-out requests in queues whose requests have no queue timeout. */
    private static final Consumer<PendingRequest> NO_TIMEOUTS = request -> { };

    @Test
    void aRequestWaitsFromItsOfferUntilAWorkerStartsIt() throws Exception {
        BatchQueue queue = new BatchQueue(ONE_WAITING, 0, idleInstance(), NO_TIMEOUTS);
        assertTrue(queue.isIdle());

        assertTrue(queue.offer(request()));
        assertFalse(queue.isIdle(), "a queued request does not count as waiting");
        assertEquals(1, queue.nextBatch().size());
        assertFalse(queue.isIdle(), "a request whose worker has no instance yet does not count as waiting");
        queue.started(1);
        assertTrue(queue.isIdle());
    }

    @Test
    void aRefusedRequestDoesNotCountAsWaiting() throws Exception {
        BatchQueue queue = new BatchQueue(ONE_WAITING, 0, idleInstance(), NO_TIMEOUTS);
        assertTrue(queue.offer(request()));

        assertFalse(queue.offer(request()), "the queue holds one request");
        assertEquals(1, queue.nextBatch().size());
        queue.started(1);
        assertTrue(queue.isIdle(), "the refused request is still counted");
    }

    @Test
    void aLoneRequestWithAnIdleInstanceDoesNotWaitForCompany() throws Exception {
        BatchQueue queue = new BatchQueue(LONG_DELAY, 16, idleInstance(), NO_TIMEOUTS);
        assertTrue(queue.offer(row()));

        assertEquals(1, queue.nextBatch().size());
    }

    @Test
    void requestsGatherWhileEveryInstanceIsBusy() throws Exception {
        InstancePool instances = idleInstance();
        ModelInstance running = instances.tryTake();
        BatchQueue queue = new BatchQueue(LONG_DELAY, 2, instances, NO_TIMEOUTS);
        assertTrue(queue.offer(row()));
        assertTrue(queue.offer(row()));

        assertEquals(2, queue.nextBatch().size(), "two requests behind a busy instance form one batch");
        instances.giveBack(running);
    }

    @Test
    void requestsWaitingForTwoInstancesAreSharedBetweenThem() throws Exception {
        InstancePool instances = new InstancePool(List.of((inputs, control) -> inputs, (inputs, control) -> inputs));
        BatchQueue queue = new BatchQueue(LONG_DELAY, 16, instances, NO_TIMEOUTS);
        for (int i = 0; i < 7; i++) {
            assertTrue(queue.offer(row()));
        }

        assertEquals(4, queue.nextBatch().size(), "7 requests for 2 idle instances: the first batch takes 4");
        ModelInstance first = instances.tryTake();
        assertEquals(2, queue.nextBatch().size(),
                "with the other instance running, the next batch still takes its half of the 3 left");
        assertEquals(1, queue.nextBatch().size());
        instances.giveBack(first);
    }

    @Test
    void withOneInstanceABatchTakesEveryWaitingRequest() throws Exception {
        BatchQueue queue = new BatchQueue(LONG_DELAY, 16, idleInstance(), NO_TIMEOUTS);
        for (int i = 0; i < 7; i++) {
            assertTrue(queue.offer(row()));
        }

        assertEquals(7, queue.nextBatch().size());
    }

    @Test
    void aRequestRejectedAtItsQueueTimeoutIsAnsweredAndNoLongerWaits() throws Exception {
        ModelConfig.Batching rejecting = new ModelConfig.Batching(0, Set.of(),
                Priorities.single(new QueuePolicy(QueuePolicy.TimeoutAction.REJECT, 20_000, false, 4)));
        CompletableFuture<PendingRequest> rejected = new CompletableFuture<>();
        BatchQueue queue = new BatchQueue(rejecting, 0, idleInstance(), rejected::complete);
        PendingRequest request = PendingRequest.of(Map.of("x", Tensor.ofFloats("x", new long[] {1}, 1f)), 0, null,
                Deadline.none(), System.nanoTime(), new QueuePlacement(1, 20_000));
        assertTrue(queue.offer(request));

        assertSame(request, rejected.get(30, TimeUnit.SECONDS));
        assertTrue(queue.isIdle(), "a rejected request no longer waits");
        assertTrue(queue.drain().isEmpty());
    }

    private static InstancePool idleInstance() {
        return new InstancePool(List.of((inputs, control) -> inputs));
    }

    /** A request of one row, for a queue that batches. */
    private static PendingRequest row() {
        return PendingRequest.of(Map.of("x", Tensor.ofFloats("x", new long[] {1, 1}, 1f)), 1, null, Deadline.none(),
                System.nanoTime(), QueuePlacement.UNPRIORITIZED);
    }

    private static PendingRequest request() {
        return PendingRequest.of(Map.of("x", Tensor.ofFloats("x", new long[] {1}, 1f)), 0, null, Deadline.none(),
                System.nanoTime(), QueuePlacement.UNPRIORITIZED);
    }
}
