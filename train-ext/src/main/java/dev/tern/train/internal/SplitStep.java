package dev.tern.train.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.NativeTensor;
import dev.tern.exec.Outputs;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.Gradients;
import dev.tern.train.StepResult;
import dev.tern.train.TrainingException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The two runs of a split training step over a session's {@link SwappedState}: the gradient run
 * reads the current weights and returns copies of the gradients; the apply run reads the
 * weights, the optimizer state and the gradients it is given, writes the next state and swaps.
 * Owns its two compiled graphs and closes them; the state stays the session's.
 */
public final class SplitStep implements AutoCloseable {
    private final TrainingGraphs graphs;
    private final SplitGraphs split;
    private final UpdateScalars scalars;
    private final CompiledModel gradientModel;
    private final CompiledModel applyModel;

    /**
     * Compiles both halves of {@code graphs}' split step.
     *
     * @throws IllegalArgumentException if {@code graphs} were built without a split step
     * @throws dev.tern.exec.ExecutionFailedException if ONNX Runtime refuses a half
     */
    public SplitStep(TrainingGraphs graphs, Runtime runtime, SessionConfig config) {
        this.graphs = graphs;
        this.split = graphs.split().orElseThrow(() -> new IllegalArgumentException("training graphs of '"
                + graphs.training().graph().name() + "' were built without a split step"));
        this.scalars = new UpdateScalars(graphs.update());
        this.gradientModel = compileOrClose(runtime, split.gradients(), config);
        try {
            this.applyModel = compileOrClose(runtime, split.apply(), config);
        } catch (RuntimeException e) {
            gradientModel.close();
            throw e;
        }
    }

    /** Both runs, the gradients applied as computed: what the fused step does in one. */
    public StepResult step(SwappedState state, Map<String, Tensor> batch, long step, double rate,
                           String predictionOutput) {
        List<Tensor> prediction = new ArrayList<>(1);
        Gradients gradients = gradients(state, batch, step, predictionOutput, prediction);
        StepResult applied = apply(state, gradients, rate);
        return new StepResult(step, rate, applied.loss(), applied.terms(), applied.gradientNorm(),
                prediction.stream().findFirst());
    }

    /**
     * Runs the first half on {@code batch} with the current weights; changes nothing.
     *
     * @param prediction receives a copy of output {@code predictionOutput}, unless that is {@code null}
     */
    public Gradients gradients(SwappedState state, Map<String, Tensor> batch, long step, String predictionOutput,
                               List<Tensor> prediction) {
        List<NativeTensor> wrapped = new ArrayList<>();
        try {
            Map<String, NativeTensor> feed = new HashMap<>();
            batch.forEach((input, tensor) -> feed.put(input, StepRun.track(NativeTensor.wrap(tensor), wrapped)));
            for (StateSlot weight : graphs.update().weights()) {
                feed.put(weight.input(), state.current().get(weight.input()));
            }
            try (Outputs outputs = gradientModel.runNative(feed)) {
                Map<String, Tensor> values = new LinkedHashMap<>();
                split.gradientNames().forEach((weight, output) ->
                        values.put(weight, outputs.tensor(output).toTensor(weight)));
                if (predictionOutput != null) {
                    prediction.add(outputs.tensor(predictionOutput).toTensor(predictionOutput));
                }
                return new Gradients(step, StepRun.scalar(outputs.tensor(graphs.lossOutput())),
                        StepRun.termValues(graphs, outputs), values);
            }
        } finally {
            wrapped.forEach(NativeTensor::close);
        }
    }

    /**
     * Runs the second half: the optimizer's update with {@code gradients} at learning rate
     * {@code rate}, written into the state's next set, which then becomes current. On failure
     * the state stays as it was.
     *
     * @throws TrainingException if {@code gradients} do not hold exactly one tensor of each
     *     weight's element type and shape
     */
    public StepResult apply(SwappedState state, Gradients gradients, double rate) {
        requireFits(gradients.values());
        List<NativeTensor> wrapped = new ArrayList<>();
        try {
            Map<String, NativeTensor> feed = new HashMap<>(state.current());
            split.gradientNames().forEach((weight, input) -> feed.put(input,
                    StepRun.track(NativeTensor.wrap(gradients.values().get(weight)), wrapped)));
            scalars.feed(feed, gradients.step(), rate);
            OptionalDouble norm;
            try (Outputs outputs = applyModel.runNative(feed, state.next())) {
                norm = graphs.update().gradientNormOutput()
                        .map(name -> OptionalDouble.of(StepRun.scalar(outputs.tensor(name))))
                        .orElse(OptionalDouble.empty());
            }
            state.swap();
            return new StepResult(gradients.step(), rate, gradients.loss(), gradients.terms(), norm, Optional.empty());
        } finally {
            wrapped.forEach(NativeTensor::close);
        }
    }

    private void requireFits(Map<String, Tensor> values) {
        if (!values.keySet().equals(split.gradientNames().keySet())) {
            throw new TrainingException("model '" + graphs.training().graph().name() + "': gradients are given for "
                    + values.keySet() + ", the trainable weights are " + split.gradientNames().keySet());
        }
        for (StateSlot weight : graphs.update().weights()) {
            Tensor gradient = values.get(weight.input());
            Tensor expected = weight.initial();
            if (gradient.elementType() != expected.elementType() || !Arrays.equals(gradient.dims(), expected.dims())) {
                throw new TrainingException("model '" + graphs.training().graph().name() + "': the gradient of '"
                        + weight.input() + "' is " + gradient.elementType() + Arrays.toString(gradient.dims())
                        + ", the weight is " + expected.elementType() + Arrays.toString(expected.dims()));
            }
        }
    }

    /** Compiles {@code model}, closing the scalars if ONNX Runtime refuses it. */
    private CompiledModel compileOrClose(Runtime runtime, Model model, SessionConfig config) {
        try {
            return runtime.compile(model, config);
        } catch (RuntimeException e) {
            scalars.close();
            throw e;
        }
    }

    @Override
    public void close() {
        gradientModel.close();
        applyModel.close();
        scalars.close();
    }
}
