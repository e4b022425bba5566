package dev.tern.server.internal.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.internal.repository.ModelConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a caller that wants to run its own request must not overtake (requests offered and not
 * started), and when a batch stops gathering.
 */
class BatchQueueTest {
    private static final ModelConfig.Batching ONE_WAITING = new ModelConfig.Batching(0, Set.of(), 1);
    /** A delay no test waits out: a batch that gathers until it would time the test out. */
    private static final ModelConfig.Batching LONG_DELAY = new ModelConfig.Batching(60_000_000, Set.of(), 8);

    @Test
    void aRequestWaitsFromItsOfferUntilAWorkerStartsIt() throws Exception {
        BatchQueue queue = new BatchQueue(ONE_WAITING, 0, idleInstance());
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
        BatchQueue queue = new BatchQueue(ONE_WAITING, 0, idleInstance());
        assertTrue(queue.offer(request()));

        assertFalse(queue.offer(request()), "the queue holds one request");
        assertEquals(1, queue.nextBatch().size());
        queue.started(1);
        assertTrue(queue.isIdle(), "the refused request is still counted");
    }

    @Test
    void aLoneRequestWithAnIdleInstanceDoesNotWaitForCompany() throws Exception {
        BatchQueue queue = new BatchQueue(LONG_DELAY, 16, idleInstance());
        assertTrue(queue.offer(row()));

        assertEquals(1, queue.nextBatch().size());
    }

    @Test
    void requestsGatherWhileEveryInstanceIsBusy() throws Exception {
        InstancePool instances = idleInstance();
        ModelInstance running = instances.tryTake();
        BatchQueue queue = new BatchQueue(LONG_DELAY, 2, instances);
        assertTrue(queue.offer(row()));
        assertTrue(queue.offer(row()));

        assertEquals(2, queue.nextBatch().size(), "two requests behind a busy instance form one batch");
        instances.giveBack(running);
    }

    private static InstancePool idleInstance() {
        return new InstancePool(List.of((inputs, control) -> inputs));
    }

    /** A request of one row, for a queue that batches. */
    private static PendingRequest row() {
        return PendingRequest.of(Map.of("x", Tensor.ofFloats("x", new long[] {1, 1}, 1f)), 1, null, Deadline.none(),
                System.nanoTime());
    }

    private static PendingRequest request() {
        return PendingRequest.of(Map.of("x", Tensor.ofFloats("x", new long[] {1}, 1f)), 0, null, Deadline.none(),
                System.nanoTime());
    }
}
