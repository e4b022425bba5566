package dev.tern.train.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Value;
import dev.tern.train.TrainingException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a part out of a model: named values become its inputs (what computed them is dropped)
 * and named values its outputs, and every node, input and initializer the outputs do not need
 * goes. A VAE's decoder is the cut from the latent sample to the reconstruction; a GAN's
 * generator the cut to its fake sample. Works in place on a model the caller owns (a copy).
 */
final class GraphCut {
    private GraphCut() {
    }

    /**
     * @throws TrainingException if a name is not a value of the main graph, or an input to cut
     *     at has no known type
     */
    static void apply(Model model, List<String> inputs, List<String> outputs) {
        ShapeInference.infer(model);
        Graph graph = model.graph();
        for (String name : inputs) {
            cutAt(graph, requireValue(graph, name));
        }
        List<Value> kept = new ArrayList<>();
        for (String name : outputs) {
            kept.add(requireValue(graph, name));
        }
        while (!graph.outputs().isEmpty()) {
            graph.removeOutput(graph.outputs().size() - 1);
        }
        kept.forEach(graph::addOutput);
        prune(graph);
    }

    /** Makes a new graph input named like {@code value} and has every reader read it instead. */
    private static void cutAt(Graph graph, Value value) {
        if (graph.inputs().contains(value) && !value.isInitializer()) {
            return;
        }
        if (value.type() == null) {
            throw new TrainingException("graph '" + graph.name() + "': cannot make '" + value.name()
                    + "' an input, its type is unknown");
        }
        String name = value.name();
        value.rename(new GraphEmitter(graph).fresh(name + ".cut"));
        Value input = new Value(name, value.type());
        graph.addInput(input);
        value.replaceAllUsesWith(input);
        List<Value> outputs = graph.outputs();
        for (int index = 0; index < outputs.size(); index++) {
            if (outputs.get(index) == value) {
                graph.setOutput(index, input);
            }
        }
    }

    /** Removes nodes, data inputs and initializers that nothing needed reads, last node first. */
    private static void prune(Graph graph) {
        List<Node> nodes = new ArrayList<>(graph.nodes());
        for (int index = nodes.size() - 1; index >= 0; index--) {
            Node node = nodes.get(index);
            if (node.outputs().stream().noneMatch(output -> output != null && output.isUsed())) {
                graph.removeNode(node);
            }
        }
        for (Value input : List.copyOf(graph.inputs())) {
            if (!input.isInitializer() && !input.isUsed()) {
                graph.removeInput(input);
            }
        }
        for (Value initializer : List.copyOf(graph.initializers().values())) {
            if (!initializer.isUsed()) {
                graph.removeInitializer(initializer.name());
            }
        }
    }

    private static Value requireValue(Graph graph, String name) {
        Map<String, Value> values = new HashMap<>();
        graph.inputs().forEach(value -> values.put(value.name(), value));
        graph.initializers().values().forEach(value -> values.put(value.name(), value));
        for (Node node : graph.nodes()) {
            for (Value output : node.outputs()) {
                if (output != null) {
                    values.put(output.name(), output);
                }
            }
        }
        Value value = values.get(name);
        if (value == null) {
            throw new TrainingException("graph '" + graph.name() + "' has no value named '" + name
                    + "' to export; its outputs are " + graph.outputs().stream().map(Value::name).toList());
        }
        return value;
    }
}
