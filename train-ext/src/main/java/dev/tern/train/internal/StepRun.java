package dev.tern.train.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.NativeTensor;
import dev.tern.exec.Outputs;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.train.StepResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One training step's ONNX Runtime run, shared by a session and each of its parameter groups:
 * the batch wrapped in place, the state's current tensors, the learning rate and step count the
 * update reads; the loss, each term and the gradient norm read back; the state swapped only once
 * the run succeeded.
 */
public final class StepRun {
    private StepRun() {
    }

    /**
     * Runs step {@code step} of {@code stepModel} at learning rate {@code rate}.
     *
     * @param shared weights the state does not hold (other parameter groups' current tensors), fed as they are
     * @param predictionOutput an output to copy into the result, or {@code null} for none
     */
    public static StepResult run(CompiledModel stepModel, TrainingGraphs graphs, SwappedState state,
                                 ElementType weightType, Map<String, Tensor> batch, Map<String, NativeTensor> shared,
                                 long step, double rate, String predictionOutput) {
        List<NativeTensor> wrapped = new ArrayList<>();
        try {
            Map<String, NativeTensor> feed = new HashMap<>(shared);
            batch.forEach((input, tensor) -> feed.put(input, track(NativeTensor.wrap(tensor), wrapped)));
            feed.putAll(state.current());
            feedUpdateScalars(feed, graphs.update(), weightType, step, rate, wrapped);
            StepResult result;
            try (Outputs outputs = stepModel.runNative(feed, state.next())) {
                OptionalDouble norm = graphs.update().gradientNormOutput()
                        .map(name -> OptionalDouble.of(scalar(outputs.tensor(name))))
                        .orElse(OptionalDouble.empty());
                Optional<Tensor> prediction = predictionOutput == null
                        ? Optional.empty()
                        : Optional.of(outputs.tensor(predictionOutput).toTensor(predictionOutput));
                result = new StepResult(step, rate, scalar(outputs.tensor(graphs.lossOutput())),
                        termValues(graphs, outputs), norm, prediction);
            }
            state.swap();
            return result;
        } finally {
            wrapped.forEach(NativeTensor::close);
        }
    }

    /**
     * Puts the learning rate (of the weights' type) and, for an optimizer that reads it, the
     * 1-based step count into {@code feed}, tracking the wrapped scalars in {@code wrapped} for
     * the caller to close.
     */
    static void feedUpdateScalars(Map<String, NativeTensor> feed, UpdateSignature update, ElementType weightType,
                                  long step, double rate, List<NativeTensor> wrapped) {
        String rateInput = update.learningRateInput();
        Tensor rateTensor = weightType == ElementType.DOUBLE
                ? Tensor.ofDoubles(rateInput, new long[0], rate)
                : Tensor.ofFloats(rateInput, new long[0], (float) rate);
        feed.put(rateInput, track(NativeTensor.wrap(rateTensor), wrapped));
        update.stepInput().ifPresent(input ->
                feed.put(input, track(NativeTensor.wrap(Tensor.ofLongs(input, new long[0], step + 1)), wrapped)));
    }

    /** Each term's value by term name, read from a step's or an evaluation's outputs. */
    public static Map<String, Double> termValues(TrainingGraphs graphs, Outputs outputs) {
        Map<String, Double> values = new LinkedHashMap<>();
        graphs.termOutputs().forEach((term, output) -> values.put(term, scalar(outputs.tensor(output))));
        return Collections.unmodifiableMap(values);
    }

    /** The value of a scalar float or double output. */
    public static double scalar(NativeTensor tensor) {
        return tensor.elementType() == ElementType.DOUBLE
                ? tensor.buffer().getDouble(0)
                : tensor.buffer().getFloat(0);
    }

    static NativeTensor track(NativeTensor tensor, List<NativeTensor> wrapped) {
        wrapped.add(tensor);
        return tensor;
    }
}
