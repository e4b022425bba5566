package dev.tern.compress.internal;

import dev.tern.compress.EnsembleException;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies one member's graph into the ensemble graph under a name prefix ({@code m0/},
 * {@code m1/}, ...): every node, value and initializer name gets the prefix, graph inputs are
 * replaced by the shared inputs. Tensors are immutable and shared, not copied.
 */
final class MemberCopier {
    private final Graph ensemble;
    private final SharedInputs inputs;

    MemberCopier(Graph ensemble, SharedInputs inputs) {
        this.ensemble = ensemble;
        this.inputs = inputs;
    }

    /**
     * Copies member {@code member} and returns the ensemble value of its first output.
     *
     * @throws EnsembleException naming the member if it has no output, a sparse initializer, or
     *     a node with a subgraph (whose outer-scope names the prefix would break), or if its inputs
     *     disagree with the shared ones
     */
    Value copy(int member, Graph graph) {
        String prefix = "m" + member + "/";
        if (graph.outputs().isEmpty()) {
            throw new EnsembleException("member " + member + " (graph '" + graph.name() + "') has no output");
        }
        Map<Value, Value> copies = new IdentityHashMap<>();
        for (Value initializer : graph.initializers().values()) {
            copies.put(initializer, copyInitializer(member, prefix, initializer));
        }
        for (Value input : graph.inputs()) {
            if (!input.isInitializer()) {
                copies.put(input, inputs.feed(member, prefix, input));
            }
        }
        for (Node node : graph.nodes()) {
            ensemble.appendNode(copyNode(member, prefix, node, copies));
        }
        return copies.get(graph.outputs().get(0));
    }

    private Value copyInitializer(int member, String prefix, Value initializer) {
        if (initializer.initializer() == null) {
            throw new EnsembleException("member " + member + " initializer '" + initializer.name()
                    + "': expected a dense tensor, found a sparse one");
        }
        String name = prefix + initializer.name();
        Value copy = Value.constant(name, initializer.initializer().withName(name));
        ensemble.addInitializer(copy);
        return copy;
    }

    private static Node copyNode(int member, String prefix, Node node, Map<Value, Value> copies) {
        if (!node.subgraphs().isEmpty()) {
            throw new EnsembleException("member " + member + " node " + node.describe()
                    + ": expected no subgraph (If, Loop, Scan), found " + node.subgraphs().size());
        }
        List<Value> copiedInputs = new ArrayList<>(node.inputs().size());
        for (Value input : node.inputs()) {
            copiedInputs.add(input == null ? null : copies.get(input));
        }
        List<Value> copiedOutputs = new ArrayList<>(node.outputs().size());
        for (Value output : node.outputs()) {
            Value copy = output == null ? null : new Value(prefix + output.name(), output.type());
            copiedOutputs.add(copy);
            if (output != null) {
                copies.put(output, copy);
            }
        }
        Node copy = new Node(node.domain(), node.opType(), copiedInputs, copiedOutputs, node.attributes().values());
        if (!node.name().isEmpty()) {
            copy.setName(prefix + node.name());
        }
        return copy;
    }
}
