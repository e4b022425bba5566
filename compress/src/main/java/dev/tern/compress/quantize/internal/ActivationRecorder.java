package dev.tern.compress.quantize.internal;

import dev.tern.compress.quantize.QuantizationException;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.ExecException;
import dev.tern.exec.Runtime;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Runs a float model on calibration batches and hands every named intermediate tensor to a
 * consumer. The model is compiled once, from a copy whose outputs also list those tensors; a
 * tensor that is a graph input is taken from the batch itself. Closes what it opens.
 */
public final class ActivationRecorder implements AutoCloseable {
    private final Runtime runtime;
    private final CompiledModel compiled;
    private final Set<String> names;
    private final Set<String> graphInputs = new LinkedHashSet<>();

    /**
     * @throws QuantizationException if a name is not a tensor of the model's main graph
     */
    public ActivationRecorder(Model model, Collection<String> tensorNames) {
        this.names = new LinkedHashSet<>(tensorNames);
        Model exposed = model.copy();
        Graph graph = exposed.graph();
        Map<String, Value> values = valuesByName(graph);
        Set<String> outputs = new LinkedHashSet<>();
        graph.outputs().forEach(output -> outputs.add(output.name()));
        for (String name : names) {
            Value value = values.get(name);
            if (value == null) {
                throw new QuantizationException("model graph '" + graph.name() + "' has no tensor '" + name
                        + "' to calibrate");
            }
            if (graph.inputs().contains(value)) {
                graphInputs.add(name);
            } else if (outputs.add(name)) {
                graph.addOutput(value);
            }
        }
        this.runtime = Runtime.create();
        try {
            this.compiled = runtime.compile(exposed);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /**
     * Runs one batch and hands each recorded tensor's values to {@code consumer}.
     *
     * @throws QuantizationException naming the batch's problem if the model cannot run on it, or
     *     a recorded tensor is not FLOAT
     */
    public void record(Map<String, Tensor> batch, BiConsumer<String, float[]> consumer) {
        Map<String, Tensor> results;
        try {
            results = compiled.run(batch);
        } catch (ExecException e) {
            throw new QuantizationException("calibration batch does not fit model '" + compiled.name() + "': "
                    + e.getMessage(), e);
        }
        for (String name : names) {
            Tensor tensor = graphInputs.contains(name) ? batch.get(name) : results.get(name);
            if (tensor.elementType() != ElementType.FLOAT) {
                throw new QuantizationException("tensor '" + name + "': expected FLOAT activations to calibrate, found "
                        + tensor.elementType());
            }
            consumer.accept(name, tensor.toFloatArray());
        }
    }

    private static Map<String, Value> valuesByName(Graph graph) {
        Map<String, Value> values = new HashMap<>();
        graph.inputs().forEach(input -> values.put(input.name(), input));
        for (Node node : graph.nodes()) {
            for (Value output : node.outputs()) {
                if (output != null) {
                    values.put(output.name(), output);
                }
            }
        }
        return values;
    }

    @Override
    public void close() {
        compiled.close();
        runtime.close();
    }
}
