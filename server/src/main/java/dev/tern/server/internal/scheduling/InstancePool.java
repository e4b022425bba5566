package dev.tern.server.internal.scheduling;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The idle instances of one model version. A run holds an instance from {@link #take()} or
 * {@link #tryTake()} until it gives it back with {@link #giveBack}, so no more runs go on at
 * once than there are instances ({@code instance_count}), whichever threads run them. Thread-safe.
 */
final class InstancePool {
    private final BlockingQueue<ModelInstance> idle;
    private final int size;

    /** A pool holding every one of {@code instances}, all idle. */
    InstancePool(List<? extends ModelInstance> instances) {
        this.idle = new ArrayBlockingQueue<>(instances.size(), false, instances);
        this.size = instances.size();
    }

    /** An idle instance, or null at once when every instance is running. */
    ModelInstance tryTake() {
        return idle.poll();
    }

    /** Whether an instance is idle now; by the time the caller acts, a run may have taken it. */
    boolean hasIdle() {
        return !idle.isEmpty();
    }

    /** How many instances the pool holds, idle or running. */
    int size() {
        return size;
    }

    /**
     * Waits for an idle instance. Not interruptible: a worker waiting here already holds a batch
     * that must be answered, and every run gives its instance back when it ends; an interrupt
     * is kept for the caller to see.
     */
    ModelInstance take() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return idle.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Returns {@code instance}, taken from this pool, for the next run. */
    void giveBack(ModelInstance instance) {
        idle.add(instance);
    }
}
