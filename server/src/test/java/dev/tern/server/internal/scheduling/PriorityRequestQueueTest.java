package dev.tern.server.internal.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.internal.repository.Priorities;
import dev.tern.server.internal.repository.QueuePolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order requests leave a prioritized queue in, each level's bound, and the timeout actions. */
class PriorityRequestQueueTest {
    private static final QueuePolicy DELAYING = new QueuePolicy(QueuePolicy.TimeoutAction.DELAY, 0, true, 8);
    private static final QueuePolicy REJECTING = new QueuePolicy(QueuePolicy.TimeoutAction.REJECT, 0, true, 8);
    /** Three levels; level 1 delays timed-out requests, level 2 rejects them, level 3 holds two requests. */
    private static final Priorities THREE_LEVELS = new Priorities(3, true, 3, QueuePolicy.bounded(2),
            Map.of(1, DELAYING, 2, REJECTING));

    @Test
    void higherLevelsLeaveFirstAndEachLevelInArrivalOrder() throws Exception {
        PriorityRequestQueue queue = new PriorityRequestQueue(THREE_LEVELS);
        PendingRequest low1 = request(3, 1);
        PendingRequest low2 = request(3, 2);
        PendingRequest middle = request(2, 3);
        PendingRequest high1 = request(1, 4);
        PendingRequest high2 = request(1, 5);
        for (PendingRequest request : List.of(low1, low2, middle, high1, high2)) {
            assertTrue(queue.offer(request));
        }

        assertEquals(List.of(high1, high2, middle, low1, low2),
                List.of(queue.take(), queue.poll(), queue.poll(1_000_000), queue.take(), queue.take()));
        assertNull(queue.poll(1_000_000), "nothing is left");
        assertTrue(queue.isEmpty());
    }

    @Test
    void aFullLevelRefusesWhileOtherLevelsStillTakeRequests() {
        PriorityRequestQueue queue = new PriorityRequestQueue(THREE_LEVELS);
        assertTrue(queue.offer(request(3, 1)));
        assertTrue(queue.offer(request(3, 2)));

        assertFalse(queue.offer(request(3, 3)), "level 3 holds two requests");
        assertTrue(queue.offer(request(1, 4)));
        assertEquals(3, queue.drain().size());
    }

    @Test
    void aDelayedRequestWaitsBehindItsLevelButAheadOfLowerLevels() {
        PriorityRequestQueue queue = new PriorityRequestQueue(THREE_LEVELS);
        PendingRequest late = request(1, 1);
        PendingRequest inTime = request(1, 2);
        PendingRequest low = request(3, 3);
        queue.offer(late);
        queue.offer(inTime);
        queue.offer(low);

        assertFalse(queue.timeOut(late), "DELAY keeps the request queued");
        assertEquals(List.of(inTime, late, low), queue.drain());
    }

    @Test
    void aRejectedRequestLeavesTheQueueOnceAndATakenOneIsLeftAlone() {
        PriorityRequestQueue queue = new PriorityRequestQueue(THREE_LEVELS);
        PendingRequest rejected = request(2, 1);
        PendingRequest taken = request(2, 2);
        queue.offer(rejected);
        queue.offer(taken);

        assertTrue(queue.timeOut(rejected), "REJECT removes the request for the caller to answer");
        assertFalse(queue.timeOut(rejected), "it is answered once");
        assertEquals(taken, queue.poll());
        assertFalse(queue.timeOut(taken), "a request already taken into a batch runs");
        assertTrue(queue.isEmpty());
    }

    private static PendingRequest request(int level, float value) {
        return PendingRequest.of(Map.of("x", Tensor.ofFloats("x", new long[] {1}, value)), 0, null, Deadline.none(),
                System.nanoTime(), new QueuePlacement(level, 0));
    }
}
