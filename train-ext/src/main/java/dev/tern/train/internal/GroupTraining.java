package dev.tern.train.internal;

import dev.tern.exec.NativeTensor;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Tensor;
import dev.tern.train.Evaluation;
import dev.tern.train.Gradients;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.LossTerms;
import dev.tern.train.StepResult;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training of one group of weights: a training session's only one, or one parameter group
 * of a session with several. It holds the group's compiled step ({@link SessionStep}), its
 * evaluation ({@link Evaluator}), its state ({@link TrainingState}) and its schedule; weights
 * another group trains are handed to its runs as their owners' current native tensors, never
 * copied. Batches are checked to feed exactly {@link #dataInputs()}. Not thread-safe; owns its
 * compiled graphs and state and closes them.
 */
public final class GroupTraining implements AutoCloseable {
    private final String owner;
    private final TrainingGraphs graphs;
    private final LossTerms loss;
    private final LearningRateSchedule schedule;
    private final TrainingState state;
    private final SessionStep stepper;
    private final Evaluator evaluator;

    /**
     * Compiles the step of {@code graphs} on {@code runtime} (its evaluation on first use), the
     * state starting at the weights' initial values and zero optimizer state.
     *
     * @param owner how errors name the group: {@code model 'm'} or {@code parameter group 'g'}
     * @param optimizer the optimizer's description, which a checkpoint records
     * @throws dev.tern.exec.ExecutionFailedException if ONNX Runtime refuses a step graph
     */
    public GroupTraining(String owner, TrainingGraphs graphs, LossTerms loss, String optimizer,
                         LearningRateSchedule schedule, boolean splitStep, Runtime runtime, SessionConfig config) {
        this.owner = owner;
        this.graphs = graphs;
        this.loss = loss;
        this.schedule = schedule;
        this.state = new TrainingState(owner, graphs.update(), optimizer);
        try {
            this.stepper = new SessionStep(graphs, splitStep, runtime, config);
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
        this.evaluator = new Evaluator(graphs, loss, runtime, config);
    }

    /** The inputs a batch feeds: the model inputs the loss reads and the target columns, in graph order. */
    public List<String> dataInputs() {
        return graphs.dataInputs();
    }

    /** The inputs the loss added for its targets, in term order. */
    public List<String> targetColumns() {
        return graphs.targetColumns();
    }

    /** The loss terms the group's steps minimize. */
    public LossTerms loss() {
        return loss;
    }

    /** The group's weights, optimizer state and step count. */
    public TrainingState state() {
        return state;
    }

    /**
     * Takes one step at the schedule's rate for the group's step count, reading {@code shared}
     * (the other groups' current weights) in place; on failure the state stays as it was.
     *
     * @param predictionOutput an output to copy into the result, or {@code null} for none
     * @throws dev.tern.train.TrainingException if the batch does not feed exactly {@link #dataInputs()}
     */
    public StepResult step(Map<String, Tensor> batch, Map<String, NativeTensor> shared, String predictionOutput) {
        graphs.requireBatch(batch, owner);
        return stepper.step(state, batch, shared, schedule.rate(state.steps()), predictionOutput);
    }

    /**
     * The loss and gradients on {@code batch}, updating nothing (the first half of a split step).
     *
     * @throws IllegalStateException if the step is fused
     * @throws dev.tern.train.TrainingException if the batch does not feed exactly {@link #dataInputs()}
     */
    public Gradients computeGradients(Map<String, Tensor> batch) {
        graphs.requireBatch(batch, owner);
        return stepper.computeGradients(state, batch);
    }

    /**
     * The update with {@code gradients} at the schedule's rate (the second half of a split step).
     *
     * @throws IllegalStateException if the step is fused
     * @throws dev.tern.train.TrainingException if the gradients do not fit this step or its weights
     */
    public StepResult applyGradients(Gradients gradients) {
        return stepper.applyGradients(state, gradients, schedule.rate(state.steps()));
    }

    /**
     * The forward pass and the loss on {@code batch} with the current weights, this group's and
     * {@code shared} (the other groups'), updating nothing.
     *
     * @throws dev.tern.train.TrainingException if the batch does not feed exactly {@link #dataInputs()}
     */
    public Evaluation evaluate(Map<String, Tensor> batch, Map<String, NativeTensor> shared) {
        graphs.requireBatch(batch, owner);
        Map<String, NativeTensor> weights = new HashMap<>(shared);
        weights.putAll(state.currentWeights());
        return evaluator.run(batch, weights);
    }

    @Override
    public void close() {
        stepper.close();
        evaluator.close();
        state.close();
    }
}
