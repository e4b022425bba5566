package dev.tern.ir.passes;

import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Value;

import java.util.List;

/**
 * Removes default-domain Identity nodes, in the main graph and every subgraph: their readers
 * read the Identity's input instead. When the Identity's output is a graph output, its name is
 * part of the model's interface, so the input takes over that name (and its declared type), which
 * needs the input to be computed by a node of the same graph and not to be a graph output
 * itself; otherwise that Identity stays. Model-local function bodies are left as they are.
 * In place.
 */
public final class IdentityRemoval extends Pass {
    @Override
    public String name() {
        return "identities";
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    protected boolean run(Model model) {
        return removeIdentities(model.graph());
    }

    private static boolean removeIdentities(Graph graph) {
        boolean changed = false;
        GraphEditor editor = GraphEditor.of(graph);
        for (Node node : graph.nodes()) {
            for (Graph subgraph : node.subgraphs()) {
                changed |= removeIdentities(subgraph);
            }
            if (!isIdentity(node)) {
                continue;
            }
            Value input = node.input(0);
            Value output = node.output(0);
            if (!output.graphsOutputting().isEmpty()) {
                if (!canTakeOverOutput(graph, input, output)) {
                    continue;
                }
                String name = output.name();
                if (output.type() != null) {
                    input.setType(output.type());
                }
                editor.replaceAllUsesWith(output, input);
                editor.removeNode(node);
                input.rename(name);
            } else {
                editor.replaceAllUsesWith(output, input);
                editor.removeNode(node);
            }
            changed = true;
        }
        return changed;
    }

    private static boolean isIdentity(Node node) {
        return (node.domain().isEmpty() || node.domain().equals("ai.onnx")) && node.opType().equals("Identity")
                && node.inputs().size() == 1 && node.input(0) != null
                && node.outputs().size() == 1 && node.output(0) != null;
    }

    /** Whether {@code input} may be renamed to become {@code output} in the graph's outputs. */
    private static boolean canTakeOverOutput(Graph graph, Value input, Value output) {
        return output.graphsOutputting().equals(List.of(graph))
                && input.producer() != null && input.producer().graph() == graph
                && input.graphsOutputting().isEmpty();
    }
}
