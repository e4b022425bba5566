package dev.tern.cli.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.IoSpec;
import dev.tern.exec.NativeTensor;
import dev.tern.exec.Outputs;
import dev.tern.exec.RunControl;
import dev.tern.ir.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a model once and copies its tensor outputs out. It goes through
 * {@link CompiledModel#runNative} because that path also accepts models with sequence or map
 * outputs, which the summary lists without values.
 */
final class SingleRun {
    private SingleRun() {
    }

    /**
     * The tensor outputs of one run on {@code inputs} under {@code control}, by name in the model's order.
     *
     * @throws dev.tern.exec.InvalidInputException if the inputs do not match the model
     * @throws dev.tern.exec.ExecutionFailedException if ONNX Runtime fails the run
     */
    static Map<String, Tensor> run(CompiledModel model, Map<String, Tensor> inputs, RunControl control) {
        Map<String, NativeTensor> wrapped = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
                wrapped.put(input.getKey(), NativeTensor.wrap(input.getValue()));
            }
            try (Outputs outputs = model.runNative(wrapped, control)) {
                Map<String, Tensor> tensors = new LinkedHashMap<>();
                for (IoSpec output : model.outputs()) {
                    if (output.isTensor()) {
                        tensors.put(output.name(), outputs.tensor(output.name()).toTensor(output.name()));
                    }
                }
                return tensors;
            }
        } finally {
            wrapped.values().forEach(NativeTensor::close);
        }
    }
}
