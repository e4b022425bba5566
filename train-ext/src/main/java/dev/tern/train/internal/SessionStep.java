package dev.tern.train.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.NativeTensor;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Tensor;
import dev.tern.train.Gradients;
import dev.tern.train.StepResult;
import dev.tern.train.TrainingException;

import java.util.ArrayList;
import java.util.Map;

/**
 * The compiled training step of a session or parameter group: one fused graph, or the two
 * halves of a {@link SplitStep} over the same state. A step reads and advances a
 * {@link TrainingState} it does not own. Owns what it compiles and closes it.
 */
public final class SessionStep implements AutoCloseable {
    private final TrainingGraphs graphs;
    /** The fused step's per-step update scalars, or {@code null} for a split step, which has its own. */
    private final UpdateScalars scalars;
    /** The fused step, or {@code null} for a split one. */
    private final CompiledModel fused;
    /** The split step, or {@code null} for a fused one. */
    private final SplitStep split;

    /**
     * Compiles {@code graphs}' fused step, or both halves of its split step.
     *
     * @throws IllegalArgumentException if a split step is asked of graphs built without one
     * @throws dev.tern.exec.ExecutionFailedException if ONNX Runtime refuses a step graph
     */
    public SessionStep(TrainingGraphs graphs, boolean splitStep, Runtime runtime, SessionConfig config) {
        this.graphs = graphs;
        this.split = splitStep ? new SplitStep(graphs, runtime, config) : null;
        this.fused = splitStep ? null : runtime.compile(graphs.training(), config);
        this.scalars = splitStep ? null : new UpdateScalars(graphs.update());
    }

    /**
     * Takes one step at learning rate {@code rate}: the batch wrapped in place, {@code shared}
     * (weights another parameter group trains) fed as they are; counts the step in
     * {@code state} once it succeeded, leaving the state as it was if it failed.
     *
     * @param predictionOutput an output to copy into the result, or {@code null} for none
     */
    public StepResult step(TrainingState state, Map<String, Tensor> batch, Map<String, NativeTensor> shared,
                           double rate, String predictionOutput) {
        StepResult result = split != null
                ? split.step(state.tensors(), batch, state.steps(), rate, predictionOutput)
                : StepRun.run(fused, graphs, state.tensors(), scalars, batch, shared, state.steps(), rate,
                        predictionOutput);
        state.stepTaken();
        return result;
    }

    /**
     * The first half of a split step: the loss and gradients on {@code batch} with the
     * current weights; changes nothing.
     *
     * @throws IllegalStateException if the step is fused
     */
    public Gradients computeGradients(TrainingState state, Map<String, Tensor> batch) {
        return split("computeGradients").gradients(state.tensors(), batch, state.steps(), null, new ArrayList<>());
    }

    /**
     * The second half of a split step: the update with {@code gradients} at learning rate
     * {@code rate}; counts the step in {@code state} once it succeeded.
     *
     * @throws IllegalStateException if the step is fused
     * @throws TrainingException if the gradients are for another step than the state's next,
     *     or do not fit the weights; the state is then unchanged
     */
    public StepResult applyGradients(TrainingState state, Gradients gradients, double rate) {
        SplitStep halves = split("applyGradients");
        if (gradients.step() != state.steps()) {
            throw new TrainingException("model '" + modelName() + "': gradients for step " + gradients.step()
                    + " cannot be applied at step " + state.steps());
        }
        StepResult result = halves.apply(state.tensors(), gradients, rate);
        state.stepTaken();
        return result;
    }

    private SplitStep split(String method) {
        if (split == null) {
            throw new IllegalStateException(method + " needs a session built with splitStep(); model '"
                    + modelName() + "' has a fused step");
        }
        return split;
    }

    private String modelName() {
        return graphs.training().graph().name();
    }

    @Override
    public void close() {
        if (fused != null) {
            fused.close();
            scalars.close();
        }
        if (split != null) {
            split.close();
        }
    }
}
