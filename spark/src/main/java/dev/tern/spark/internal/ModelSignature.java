package dev.tern.spark.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's inputs (initializers aside) and outputs with their tensor types, read from its IR
 * on the driver (memory-mapped, weights not copied) without compiling it.
 */
public record ModelSignature(String source, Map<String, ValueType.TensorType> inputs,
                             Map<String, ValueType.TensorType> outputs) {

    /** @throws UncheckedIOException if the file cannot be read */
    public static ModelSignature of(Path file) {
        try {
            return of(file.toString(), OnnxImporter.read(file));
        } catch (IOException e) {
            throw new UncheckedIOException("model " + file + ": " + e.getMessage(), e);
        }
    }

    public static ModelSignature of(byte[] bytes) {
        return of("model of " + bytes.length + " bytes", OnnxImporter.read(bytes));
    }

    private static ModelSignature of(String source, Model model) {
        Graph graph = model.graph();
        if (graph.outputs().stream().anyMatch(output -> output.type() == null)) {
            // A model built in code may leave its output types to inference.
            ShapeInference.infer(model);
        }
        Map<String, ValueType.TensorType> inputs = new LinkedHashMap<>();
        for (Value input : graph.inputs()) {
            if (!graph.initializers().containsKey(input.name())) {
                inputs.put(input.name(), tensorType(source, "input", input));
            }
        }
        Map<String, ValueType.TensorType> outputs = new LinkedHashMap<>();
        for (Value output : graph.outputs()) {
            outputs.put(output.name(), tensorType(source, "output", output));
        }
        return new ModelSignature(source, inputs, outputs);
    }

    private static ValueType.TensorType tensorType(String source, String kind, Value value) {
        if (value.type() instanceof ValueType.TensorType tensor) {
            return tensor;
        }
        throw new IllegalArgumentException(source + ": " + kind + " '" + value.name() + "' is "
                + (value.type() == null ? "of unknown type" : value.type()) + ", expected a tensor");
    }

    /** @throws IllegalArgumentException naming the inputs there are, if {@code name} is not one */
    public ValueType.TensorType input(String name) {
        ValueType.TensorType type = inputs.get(name);
        if (type == null) {
            throw new IllegalArgumentException(source + ": unknown input '" + name + "', expected one of "
                    + inputs.keySet());
        }
        return type;
    }

    /** @throws IllegalArgumentException naming the outputs there are, if {@code name} is not one */
    public ValueType.TensorType output(String name) {
        ValueType.TensorType type = outputs.get(name);
        if (type == null) {
            throw new IllegalArgumentException(source + ": unknown output '" + name + "', expected one of "
                    + outputs.keySet());
        }
        return type;
    }
}
