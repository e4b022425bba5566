package dev.tern.train.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Value;

import java.util.List;

/** Swaps a node for values computed by other nodes, as an expansion finishes. */
final class NodeReplacement {
    private NodeReplacement() {
    }

    /**
     * Makes every reader of {@code node}'s outputs (nodes and graph outputs) read
     * {@code replacements} instead, which take over the outputs' names, then removes the node.
     * A {@code null} replacement is allowed only for an output nothing reads.
     */
    static void replace(GraphEmitter emitter, Node node, List<Value> replacements) {
        Graph graph = emitter.graph();
        for (int i = 0; i < node.outputs().size(); i++) {
            Value old = node.output(i);
            Value replacement = replacements.get(i);
            if (old == null || replacement == null) {
                continue;
            }
            String name = old.name();
            old.rename(emitter.fresh(name + "_replaced"));
            replacement.rename(name);
            old.replaceAllUsesWith(replacement);
            List<Value> outputs = graph.outputs();
            for (int index = 0; index < outputs.size(); index++) {
                if (outputs.get(index) == old) {
                    graph.setOutput(index, replacement);
                }
            }
        }
        graph.removeNode(node);
    }
}
