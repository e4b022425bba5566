package dev.tern.train.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.NativeTensor;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.StepResult;
import dev.tern.train.TrainingException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One parameter group of a training with several: its compiled step graph, the native state
 * it owns (its weights and its optimizer state, swapped every step), its schedule and its step
 * count. A step also reads the other groups' weights, which it is handed as their owners'
 * current native tensors; it never copies them. Not thread-safe; owns its compiled graph and
 * state and closes them.
 */
public final class GroupStep implements AutoCloseable {
    private final String name;
    private final TrainingGraphs graphs;
    private final LearningRateSchedule schedule;
    private final Set<String> dataInputs;
    private final ElementType weightType;
    private final CompiledModel stepModel;
    private SwappedState state;
    private long steps;

    /**
     * Compiles the step of {@code graphs} on {@code runtime}, its state starting at the
     * weights' initial values and zero optimizer state.
     *
     * @throws dev.tern.exec.ExecutionFailedException if ONNX Runtime refuses the step graph
     */
    public GroupStep(String name, TrainingGraphs graphs, LearningRateSchedule schedule, Runtime runtime,
                     SessionConfig config) {
        this.name = name;
        this.graphs = graphs;
        this.schedule = schedule;
        this.dataInputs = Set.copyOf(graphs.dataInputs());
        this.weightType = graphs.update().weights().get(0).initial().elementType();
        this.stepModel = runtime.compile(graphs.training(), config);
        try {
            this.state = SwappedState.of(graphs.update().slots(), Map.of());
        } catch (RuntimeException e) {
            stepModel.close();
            throw e;
        }
    }

    /** The inputs a batch for this group's step feeds, in graph order. */
    public List<String> dataInputs() {
        return graphs.dataInputs();
    }

    /** The steps this group has taken. */
    public long stepCount() {
        return steps;
    }

    /** The weights this group trains, in the order given. */
    public List<String> weightNames() {
        return graphs.update().weights().stream().map(StateSlot::input).toList();
    }

    /** Every tensor this group carries between steps (its weights, then its optimizer state), by input name. */
    public List<String> stateNames() {
        return graphs.update().slots().stream().map(StateSlot::input).toList();
    }

    /**
     * This group's current weight tensors by name: the native tensors themselves, valid until
     * this group's next step or restore, for another group's step to read in place.
     */
    public Map<String, NativeTensor> currentWeights() {
        Map<String, NativeTensor> weights = new LinkedHashMap<>();
        for (String weight : weightNames()) {
            weights.put(weight, state.current().get(weight));
        }
        return weights;
    }

    /** Copies of this group's state tensors (weights and optimizer state) by input name. */
    public Map<String, Tensor> readState() {
        return state.readAll();
    }

    /**
     * Takes one step: one ONNX Runtime run reading {@code batch} (wrapped in place), this
     * group's state and {@code sharedWeights} (the other groups' current tensors), writing
     * this group's next state. On failure the state stays as it was.
     *
     * @throws TrainingException if the batch does not feed exactly {@link #dataInputs()}
     */
    public StepResult step(Map<String, Tensor> batch, Map<String, NativeTensor> sharedWeights) {
        if (!batch.keySet().equals(dataInputs)) {
            throw new TrainingException("parameter group '" + name + "': a batch feeds " + graphs.dataInputs()
                    + ", found " + batch.keySet());
        }
        StepResult result = StepRun.run(stepModel, graphs, state, weightType, batch, sharedWeights, steps,
                schedule.rate(steps), null);
        steps++;
        return result;
    }

    /**
     * Replaces this group's state and step count; {@code values} holds every tensor of
     * {@link #stateNames()}, checked by the caller.
     */
    public void restore(Map<String, Tensor> values, long stepCount) {
        SwappedState restored = SwappedState.of(graphs.update().slots(), values);
        state.close();
        state = restored;
        steps = stepCount;
    }

    /**
     * Checks that {@code values} holds a tensor of the right element type and shape for each of
     * this group's state tensors; {@code source} names where they came from.
     *
     * @throws TrainingException naming the first missing or mismatched tensor
     */
    public void requireFits(Map<String, Tensor> values, String source) {
        for (StateSlot slot : graphs.update().slots()) {
            Tensor value = values.get(slot.input());
            Tensor expected = slot.initial();
            if (value == null) {
                throw new TrainingException(source + " has no tensor '" + slot.input() + "' of parameter group '"
                        + name + "'");
            }
            if (value.elementType() != expected.elementType() || !Arrays.equals(value.dims(), expected.dims())) {
                throw new TrainingException(source + ": tensor '" + slot.input() + "' is " + value.elementType()
                        + Arrays.toString(value.dims()) + ", parameter group '" + name + "' expects "
                        + expected.elementType() + Arrays.toString(expected.dims()));
            }
        }
    }

    @Override
    public void close() {
        stepModel.close();
        state.close();
    }
}
