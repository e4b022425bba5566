package dev.tern.cli.internal;

import dev.tern.exec.IoSpec;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The inputs of a run: read from the files given with --input, generated at random for the rest. */
final class RunInputs {
    private RunInputs() {
    }

    /**
     * One tensor per model input, in the model's order, followed by any file whose name is no
     * input at all: the executor rejects those with a message listing the real names.
     *
     * @throws CliFailure if a file cannot be read or an input cannot be generated
     */
    static Map<String, Tensor> prepare(List<IoSpec> specs, Map<String, Path> files, DimensionSizes sizes,
                                       RandomTensors random) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (IoSpec spec : specs) {
            Path file = files.get(spec.name());
            inputs.put(spec.name(), file != null ? NpyFiles.readInput(spec.name(), file) : generate(spec, sizes, random));
        }
        for (Map.Entry<String, Path> file : files.entrySet()) {
            inputs.putIfAbsent(file.getKey(), NpyFiles.readInput(file.getKey(), file.getValue()));
        }
        return inputs;
    }

    /** Random tensors for every input, for a benchmark. */
    static Map<String, Tensor> generateAll(List<IoSpec> specs, DimensionSizes sizes, RandomTensors random) {
        return prepare(specs, Map.of(), sizes, random);
    }

    private static Tensor generate(IoSpec spec, DimensionSizes sizes, RandomTensors random) {
        long[] dims = sizes.resolve(spec);
        // resolve() has checked that the input is a tensor of known rank.
        ValueType.TensorType type = (ValueType.TensorType) spec.type();
        return random.generate(spec.name(), type.elementType(), dims);
    }
}
