package dev.tern.train.internal;

import dev.tern.exec.NativeTensor;
import dev.tern.ir.Tensor;
import dev.tern.train.TrainingException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a training session, or one parameter group of a session with several, carries between
 * steps: its weights and optimizer state in {@link SwappedState}'s native tensors, and its step
 * count. It hands out copies, and replaces weights or the whole state only once every tensor
 * given has been checked by name, element type and shape, so a refused replacement changes
 * nothing. Errors name the owner (a model or a parameter group). Not thread-safe; owns its
 * tensors and closes them.
 */
public final class TrainingState implements AutoCloseable {
    private final String owner;
    private final UpdateSignature update;
    private final String optimizer;
    private SwappedState tensors;
    private long steps;

    /**
     * The state at the weights' initial values, zero optimizer state and no steps taken.
     *
     * @param owner how errors name the state's owner: {@code model 'm'} or {@code parameter group 'g'}
     * @param optimizer the optimizer's description, which a checkpoint records
     */
    public TrainingState(String owner, UpdateSignature update, String optimizer) {
        this.owner = owner;
        this.update = update;
        this.optimizer = optimizer;
        this.tensors = SwappedState.of(update.slots(), Map.of());
    }

    /** The swapped tensors, for a step run to read and write. */
    public SwappedState tensors() {
        return tensors;
    }

    /** The steps taken, counting those before a restored checkpoint. */
    public long steps() {
        return steps;
    }

    /** Counts a step that has just succeeded. */
    public void stepTaken() {
        steps++;
    }

    /** The trained weights' names, in the order given to the builder. */
    public List<String> weightNames() {
        return update.weights().stream().map(StateSlot::input).toList();
    }

    /** Every tensor carried between steps (the weights, then the optimizer state), by input name. */
    public List<String> stateNames() {
        return update.slots().stream().map(StateSlot::input).toList();
    }

    /**
     * The current weight tensors by name: the native tensors themselves, valid until the next
     * step or replacement, for a run to read in place.
     */
    public Map<String, NativeTensor> currentWeights() {
        Map<String, NativeTensor> weights = new LinkedHashMap<>();
        for (String weight : weightNames()) {
            weights.put(weight, tensors.current().get(weight));
        }
        return weights;
    }

    /** Copies of the current weights by name, in the order given to the builder. */
    public Map<String, Tensor> readWeights() {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (String weight : weightNames()) {
            weights.put(weight, tensors.read(weight));
        }
        return weights;
    }

    /** Copies of every state tensor (weights and optimizer state) by input name. */
    public Map<String, Tensor> readAll() {
        return tensors.readAll();
    }

    /** Whether {@code name} is one of the weights this state trains. */
    public boolean hasWeight(String name) {
        return weightNames().contains(name);
    }

    /**
     * Checks that each of {@code values} is one of this state's weights, of its element type
     * and shape; {@code source} names where the values came from.
     *
     * @throws TrainingException naming the first tensor that is no weight here or does not fit
     */
    public void requireWeights(Map<String, Tensor> values, String source) {
        for (Map.Entry<String, Tensor> value : values.entrySet()) {
            StateSlot slot = update.weights().stream().filter(weight -> weight.input().equals(value.getKey()))
                    .findFirst()
                    .orElseThrow(() -> new TrainingException(source + ": " + owner + " has no trainable weight '"
                            + value.getKey() + "'; its trainable weights are " + weightNames()));
            requireFits(slot, value.getValue(), source);
        }
    }

    /**
     * Replaces the current values of the weights in {@code values} (a subset, copied), keeping
     * the optimizer state and the step count.
     *
     * @throws TrainingException as {@link #requireWeights}; the state is then unchanged
     */
    public void setWeights(Map<String, Tensor> values, String source) {
        requireWeights(values, source);
        Map<String, Tensor> replaced = tensors.readAll();
        values.forEach((name, value) -> replaced.put(name, value.withName(name)));
        replace(replaced);
    }

    /**
     * Checks that {@code values} holds a tensor of the right element type and shape for every
     * state tensor; {@code source} names where they came from. Extra tensors are the caller's
     * to refuse.
     *
     * @throws TrainingException naming the first missing or mismatched tensor
     */
    public void requireState(Map<String, Tensor> values, String source) {
        for (StateSlot slot : update.slots()) {
            Tensor value = values.get(slot.input());
            if (value == null) {
                throw new TrainingException(source + " has no tensor '" + slot.input() + "' of " + owner);
            }
            requireFits(slot, value, source);
        }
    }

    /**
     * Replaces the whole state and the step count; {@code values} holds every tensor of
     * {@link #stateNames()}, checked with {@link #requireState}.
     */
    public void restore(Map<String, Tensor> values, long stepCount) {
        replace(values);
        steps = stepCount;
    }

    /**
     * Saves the whole state and the step count to {@code file} in {@link CheckpointFile}'s format.
     *
     * @throws TrainingException if the file cannot be written
     */
    public void saveCheckpoint(Path file) {
        CheckpointFile.write(file, new CheckpointFile.Contents(steps, readAll()), optimizer);
    }

    /**
     * Replaces the whole state and the step count with those saved in {@code file}.
     *
     * @throws TrainingException if the file cannot be read, or its tensors differ from this
     *     state's in names, element types or shapes; the state is then unchanged
     */
    public void restoreCheckpoint(Path file) {
        CheckpointFile.Contents contents = CheckpointFile.read(file);
        if (!contents.tensors().keySet().equals(Set.copyOf(stateNames()))) {
            throw new TrainingException("checkpoint " + file + " holds " + contents.tensors().keySet() + ", " + owner
                    + " expects " + stateNames());
        }
        requireState(contents.tensors(), "checkpoint " + file);
        restore(contents.tensors(), contents.step());
    }

    @Override
    public void close() {
        tensors.close();
    }

    private void replace(Map<String, Tensor> values) {
        SwappedState replaced = SwappedState.of(update.slots(), values);
        tensors.close();
        tensors = replaced;
    }

    private void requireFits(StateSlot slot, Tensor value, String source) {
        Tensor expected = slot.initial();
        if (value.elementType() != expected.elementType() || !Arrays.equals(value.dims(), expected.dims())) {
            throw new TrainingException(source + ": tensor '" + slot.input() + "' is " + value.elementType()
                    + Arrays.toString(value.dims()) + ", " + owner + " expects " + expected.elementType()
                    + Arrays.toString(expected.dims()));
        }
    }
}
