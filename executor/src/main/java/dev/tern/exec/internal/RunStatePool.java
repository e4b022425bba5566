package dev.tern.exec.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A bounded set of {@link RunState}s shared by the threads running one model. A run claims a
 * state for itself and gives it back afterwards; a thread tends to get back the state it used
 * last, so its cached inputs and outputs fit. When more runs are in flight than there are
 * slots, the extra runs get a fresh state that is closed when they give it back: the pool
 * never holds more than its slot count, however many threads a program starts.
 *
 * <p>Thread-safe. {@link #close()} must not run concurrently with runs (the model's
 * lifecycle lock sees to that).
 */
public final class RunStatePool implements AutoCloseable {
    private final AtomicReferenceArray<RunState> slots;
    private final Supplier<RunState> factory;

    public RunStatePool(int size, Supplier<RunState> factory) {
        this.slots = new AtomicReferenceArray<>(size);
        this.factory = factory;
    }

    /** A state for one run, owned by the caller until {@link #giveBack}. */
    public RunState claim() {
        int size = slots.length();
        int home = home(size);
        for (int i = 0; i < size; i++) {
            int slot = (home + i) % size;
            if (slots.get(slot) != null) {
                RunState state = slots.getAndSet(slot, null);
                if (state != null) {
                    return state;
                }
            }
        }
        return factory.get();
    }

    /** Returns a state from {@link #claim}; closes it when every slot is taken. */
    public void giveBack(RunState state) {
        int size = slots.length();
        int home = home(size);
        for (int i = 0; i < size; i++) {
            if (slots.compareAndSet((home + i) % size, null, state)) {
                return;
            }
        }
        state.close();
    }

    /** Closes every state in the pool; a state given back later is kept. */
    @Override
    public void close() {
        for (int i = 0; i < slots.length(); i++) {
            RunState state = slots.getAndSet(i, null);
            if (state != null) {
                state.close();
            }
        }
    }

    /** States held now (for tests). */
    int held() {
        int held = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                held++;
            }
        }
        return held;
    }

    @SuppressWarnings("deprecation")
    private static int home(int size) {
        return (int) (Thread.currentThread().getId() % size);
    }
}
