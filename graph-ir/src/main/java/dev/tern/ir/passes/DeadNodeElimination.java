package dev.tern.ir.passes;

import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Removes nodes none of whose outputs is read (by a node, a subgraph or as a graph output), and
 * initializers nothing reads that are not also graph inputs, in the main graph and every
 * subgraph. Nodes go in reverse order, so a chain feeding only a dead node goes in one run.
 * ONNX operators have no side effects, so a node nobody reads computes nothing anyone sees;
 * that holds for nodes of other domains too, which are removed alike. Model-local function
 * bodies are left as they are. In place.
 */
public final class DeadNodeElimination extends Pass {
    @Override
    public String name() {
        return "dead-nodes";
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    protected boolean run(Model model) {
        return eliminate(model.graph());
    }

    /** No node of the main graph is left unread. */
    @Override
    protected void ensures(Model model) {
        for (Node node : model.graph().nodes()) {
            if (isDead(node)) {
                throw new IllegalStateException("node " + node.describe() + " is still there and nothing reads it");
            }
        }
    }

    private static boolean eliminate(Graph graph) {
        boolean changed = false;
        List<Node> reversed = new ArrayList<>(graph.nodes());
        Collections.reverse(reversed);
        for (Node node : reversed) {
            if (isDead(node)) {
                graph.removeNode(node);
                changed = true;
            } else {
                for (Graph subgraph : node.subgraphs()) {
                    changed |= eliminate(subgraph);
                }
            }
        }
        for (Value initializer : List.copyOf(graph.initializers().values())) {
            if (!initializer.isUsed() && !graph.inputs().contains(initializer)) {
                graph.removeInitializer(initializer.name());
                changed = true;
            }
        }
        return changed;
    }

    private static boolean isDead(Node node) {
        return node.outputs().stream().noneMatch(output -> output != null && output.isUsed());
    }
}
