package dev.tern.server.internal.scheduling;

import dev.tern.server.internal.repository.Priorities;
import dev.tern.server.internal.repository.QueuePolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The requests waiting in one {@link BatchQueue}, by priority level as Triton's priority queue
 * keeps them: a request of level 1 leaves before any of level 2; within a level, requests leave in
 * the order they came, those that timed out under a DELAY policy after all the others. Each
 * level holds at most its policy's {@code max_queue_size} requests. Thread-safe; a taker blocks
 * until a request waits.
 */
final class PriorityRequestQueue {
    private final Priorities priorities;
    /** The levels a request has come to, highest first; guarded by {@link #lock}. */
    private final NavigableMap<Integer, Level> levels = new TreeMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    /** Requests in all levels; guarded by {@link #lock}. */
    private int size;

    PriorityRequestQueue(Priorities priorities) {
        this.priorities = priorities;
    }

    /** Queues {@code request} behind the others of its level; false, at once, when its level is full. */
    boolean offer(PendingRequest request) {
        lock.lock();
        try {
            Level level = level(request.placement().level());
            if (level.size() >= level.policy.maxQueueSize()) {
                return false;
            }
            level.waiting.addLast(request);
            size++;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a request and removes the first in priority order. */
    PendingRequest take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (size == 0) {
                notEmpty.await();
            }
            return removeFirst();
        } finally {
            lock.unlock();
        }
    }

    /** The first request in priority order, waiting up to {@code nanos} for one; null if none came. */
    PendingRequest poll(long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = nanos;
            while (size == 0) {
                if (left <= 0) {
                    return null;
                }
                left = notEmpty.awaitNanos(left);
            }
            return removeFirst();
        } finally {
            lock.unlock();
        }
    }

    /** The first request in priority order, or null at once if none waits. */
    PendingRequest poll() {
        lock.lock();
        try {
            return size == 0 ? null : removeFirst();
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** How many requests wait, in all levels. */
    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies the level's timeout action to {@code request} if it still waits: DELAY moves it
     * behind every request of its level that has not timed out; REJECT removes it.
     *
     * @return true if the request was removed, and the caller must answer it
     */
    boolean timeOut(PendingRequest request) {
        lock.lock();
        try {
            Level level = level(request.placement().level());
            if (!level.waiting.remove(request)) {
                return false;
            }
            if (level.policy.timeoutAction() == QueuePolicy.TimeoutAction.DELAY) {
                level.delayed.addLast(request);
                return false;
            }
            size--;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns every waiting request, in priority order. */
    List<PendingRequest> drain() {
        lock.lock();
        try {
            List<PendingRequest> all = new ArrayList<>(size);
            while (size > 0) {
                all.add(removeFirst());
            }
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Needs the lock and a waiting request. */
    private PendingRequest removeFirst() {
        for (Level level : levels.values()) {
            if (level.size() > 0) {
                size--;
                return level.waiting.isEmpty() ? level.delayed.removeFirst() : level.waiting.removeFirst();
            }
        }
        throw new IllegalStateException("no request waits, but " + size + " are counted");
    }

    /** Needs the lock; a level is made as its first request comes, so that unused ones cost nothing. */
    private Level level(int level) {
        return levels.computeIfAbsent(level, created -> new Level(priorities.policy(created)));
    }

    /** The requests of one level: those in time, in arrival order, then those delayed by a timeout. */
    private static final class Level {
        final QueuePolicy policy;
        final ArrayDeque<PendingRequest> waiting = new ArrayDeque<>();
        final ArrayDeque<PendingRequest> delayed = new ArrayDeque<>();

        Level(QueuePolicy policy) {
            this.policy = policy;
        }

        int size() {
            return waiting.size() + delayed.size();
        }
    }
}
