package dev.tern.train.internal;

import dev.tern.exec.NativeTensor;
import dev.tern.ir.Tensor;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights and optimizer state between steps, in two sets of ONNX Runtime tensors that
 * swap roles every step: a step reads the current set and writes the other, so no state is
 * allocated or copied per step and none passes through the Java heap. The feed maps for both
 * parities are built once. Not thread-safe; owns its tensors and closes them.
 */
public final class SwappedState implements AutoCloseable {
    private final List<StateSlot> slots;
    private final NativeTensor[][] sets;
    private final List<Map<String, NativeTensor>> reads;
    private final List<Map<String, NativeTensor>> writes;
    private int current;

    private SwappedState(List<StateSlot> slots, NativeTensor[][] sets) {
        this.slots = slots;
        this.sets = sets;
        this.reads = List.of(feed(0, true), feed(1, true));
        this.writes = List.of(feed(1, false), feed(0, false));
    }

    /** Both sets start as copies of {@code values} (by slot input name; a slot missing there starts at its initial value). */
    public static SwappedState of(List<StateSlot> slots, Map<String, Tensor> values) {
        NativeTensor[][] sets = new NativeTensor[2][slots.size()];
        try {
            for (int index = 0; index < slots.size(); index++) {
                StateSlot slot = slots.get(index);
                Tensor value = values.getOrDefault(slot.input(), slot.initial());
                sets[0][index] = NativeTensor.copyOf(value);
                sets[1][index] = NativeTensor.copyOf(value);
            }
        } catch (RuntimeException e) {
            closeAll(sets);
            throw e;
        }
        return new SwappedState(slots, sets);
    }

    /** The current tensors by graph input name, to feed a step (shared, read-only for the caller). */
    public Map<String, NativeTensor> current() {
        return reads.get(current);
    }

    /** The tensors a step writes, by graph output name (shared, read-only for the caller). */
    public Map<String, NativeTensor> next() {
        return writes.get(current);
    }

    /** Makes the set the last step wrote the current one; call only after that step succeeded. */
    public void swap() {
        current = 1 - current;
    }

    /** A copy of the current value of the slot fed to input {@code name}. */
    public Tensor read(String name) {
        return current().get(name).toTensor(name);
    }

    /** Copies of every current value by slot input name, in slot order. */
    public Map<String, Tensor> readAll() {
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (StateSlot slot : slots) {
            values.put(slot.input(), read(slot.input()));
        }
        return values;
    }

    @Override
    public void close() {
        closeAll(sets);
    }

    private Map<String, NativeTensor> feed(int set, boolean byInput) {
        Map<String, NativeTensor> feed = new HashMap<>();
        for (int index = 0; index < slots.size(); index++) {
            StateSlot slot = slots.get(index);
            feed.put(byInput ? slot.input() : slot.output(), sets[set][index]);
        }
        return Map.copyOf(feed);
    }

    private static void closeAll(NativeTensor[][] sets) {
        for (NativeTensor[] set : sets) {
            for (NativeTensor tensor : set) {
                if (tensor != null) {
                    tensor.close();
                }
            }
        }
    }
}
