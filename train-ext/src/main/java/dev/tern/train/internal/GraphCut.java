package dev.tern.train.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Model;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Value;
import dev.tern.ir.passes.DeadNodeElimination;
import dev.tern.ir.passes.Pass;
import dev.tern.train.TrainingException;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a part out of a model: named values become its inputs (what computed them is dropped)
 * and named values its outputs, and every node, input and initializer the outputs do not need
 * goes. A VAE's decoder is the cut from the latent sample to the reconstruction; a GAN's
 * generator the cut to its fake sample; a split training step's update the cut from the
 * gradients to the new weights. In place; it infers shapes first, since a new input needs the
 * type of the value it stands for, and ensures a valid model.
 */
final class GraphCut extends Pass {
    private final List<String> inputs;
    private final List<String> outputs;

    /**
     * @param inputs the values to cut at: graph inputs stay, any other value becomes a new
     *     graph input of its name and type
     * @param outputs the values that become the graph's outputs, in order
     */
    GraphCut(List<String> inputs, List<String> outputs) {
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    @Override
    public String name() {
        return "graph-cut";
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    /**
     * @throws TrainingException if a name is not a value of the main graph, or an input to cut
     *     at has no known type
     */
    @Override
    protected boolean run(Model model) {
        ShapeInference.infer(model);
        Graph graph = model.graph();
        GraphEditor editor = GraphEditor.of(graph);
        for (String name : inputs) {
            cutAt(editor, requireValue(graph, name));
        }
        List<Value> kept = new ArrayList<>();
        for (String name : outputs) {
            kept.add(requireValue(graph, name));
        }
        while (!graph.outputs().isEmpty()) {
            graph.removeOutput(graph.outputs().size() - 1);
        }
        kept.forEach(graph::addOutput);
        new DeadNodeElimination().apply(model, false);
        removeUnread(graph);
        return true;
    }

    @Override
    protected void ensures(Model model) {
        model.validate();
    }

    /** Makes a new graph input named like {@code value} and has every reader read it instead. */
    private static void cutAt(GraphEditor editor, Value value) {
        Graph graph = editor.graph();
        if (graph.inputs().contains(value) && !value.isInitializer()) {
            return;
        }
        if (value.type() == null) {
            throw new TrainingException("graph '" + graph.name() + "': cannot make '" + value.name()
                    + "' an input, its type is unknown");
        }
        String name = value.name();
        value.rename(editor.freshName(name + ".cut"));
        Value input = new Value(name, value.type());
        graph.addInput(input);
        editor.replaceAllUsesWith(value, input);
    }

    /** Removes the data inputs and initializers that nothing left reads. */
    private static void removeUnread(Graph graph) {
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
        return graph.findValue(name).orElseThrow(() -> new TrainingException("graph '" + graph.name()
                + "' has no value named '" + name + "' to export; its outputs are "
                + graph.outputs().stream().map(Value::name).toList()));
    }
}
