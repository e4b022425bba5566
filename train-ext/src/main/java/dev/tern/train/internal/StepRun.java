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
 * the batch wrapped in place, the state's current tensors, the per-step scalars the update
 * reads ({@link UpdateScalars}); the loss, each term and the gradient norm read back; the state
 * swapped only once the run succeeded.
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
    static StepResult run(CompiledModel stepModel, TrainingGraphs graphs, SwappedState state, UpdateScalars scalars,
                          Map<String, Tensor> batch, Map<String, NativeTensor> shared, long step, double rate,
                          String predictionOutput) {
        List<NativeTensor> wrapped = new ArrayList<>();
        try {
            // Sized for every input at once: a step feeds dozens of state tensors, and rehashing showed in profiles.
            Map<String, NativeTensor> feed = new HashMap<>(2 * stepModel.inputs().size());
            feed.putAll(shared);
            batch.forEach((input, tensor) -> feed.put(input, track(NativeTensor.wrap(tensor), wrapped)));
            feed.putAll(state.current());
            scalars.feed(feed, step, rate);
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
