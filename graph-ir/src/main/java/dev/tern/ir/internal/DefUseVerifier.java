package dev.tern.ir.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.ValidationException;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the def-use invariant that every mutation must keep: each node input is registered
 * exactly once as a use of its value, each registered use is a real input of a node in the
 * model, each node output names its producer, and graph-output lists match on both sides.
 * Tests run it after every edit; {@link ModelValidator} runs it last.
 */
public final class DefUseVerifier {
    private final List<Graph> graphs = new ArrayList<>();
    private final Set<Node> liveNodes = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Value> values = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Value> valuesInOrder = new ArrayList<>();

    private DefUseVerifier(List<Graph> roots) {
        roots.forEach(this::collect);
    }

    /**
     * Verifies the main graph, every function body and all their subgraphs.
     *
     * @throws ValidationException naming the value and node on the first mismatch
     */
    public static void verify(Model model) {
        new DefUseVerifier(ModelValidator.rootsOf(model)).verify();
    }

    /**
     * Verifies the outermost graph enclosing {@code graph}, with all its subgraphs: uses of
     * outer values by a subgraph can only be judged from there.
     *
     * @throws ValidationException naming the value and node on the first mismatch
     */
    public static void verify(Graph graph) {
        new DefUseVerifier(List.of(ModelValidator.outermost(graph))).verify();
    }

    private void collect(Graph graph) {
        graphs.add(graph);
        graph.inputs().forEach(this::see);
        graph.initializers().values().forEach(this::see);
        graph.outputs().forEach(this::see);
        for (Node node : graph.nodes()) {
            liveNodes.add(node);
            node.inputs().forEach(this::see);
            node.outputs().forEach(this::see);
            node.subgraphs().forEach(this::collect);
        }
    }

    private void see(Value value) {
        if (value != null && values.add(value)) {
            valuesInOrder.add(value);
        }
    }

    private void verify() {
        for (Graph graph : graphs) {
            for (Node node : graph.nodes()) {
                verifyNode(graph, node);
            }
            verifyGraphOutputs(graph);
        }
        for (Value value : valuesInOrder) {
            for (Value.Use use : value.uses()) {
                verifyUse(value, use);
            }
        }
    }

    private void verifyNode(Graph graph, Node node) {
        if (node.graph() != graph) {
            throw new ValidationException("graph '" + graph.name() + "' lists node " + node.describe()
                    + ", which says it belongs to " + (node.graph() == null ? "no graph" : "graph '" + node.graph().name() + "'"));
        }
        for (int i = 0; i < node.outputs().size(); i++) {
            Value output = node.output(i);
            if (output != null && (output.producer() != node || output.outputIndex() != i)) {
                throw new ValidationException("graph '" + graph.name() + "': node " + node.describe() + " output " + i
                        + " '" + output.name() + "' names " + (output.producer() == null ? "no producer"
                        : "producer " + output.producer().describe() + " output " + output.outputIndex()));
            }
        }
        for (int i = 0; i < node.inputs().size(); i++) {
            Value input = node.input(i);
            if (input == null) {
                continue;
            }
            int registered = 0;
            for (Value.Use use : input.uses()) {
                if (use.node() == node && use.inputIndex() == i) {
                    registered++;
                }
            }
            if (registered != 1) {
                throw new ValidationException("graph '" + graph.name() + "': node " + node.describe() + " input " + i
                        + " '" + input.name() + "' is registered " + registered + " times among the value's uses, expected once");
            }
        }
    }

    private void verifyUse(Value value, Value.Use use) {
        Node user = use.node();
        if (!liveNodes.contains(user)) {
            throw new ValidationException("value '" + value.name() + "' lists a use by node " + user.describe()
                    + " input " + use.inputIndex() + ", which is not in the model (was it made and never added?)");
        }
        int index = use.inputIndex();
        Value actual = index < user.inputs().size() ? user.input(index) : null;
        if (actual != value) {
            throw new ValidationException("value '" + value.name() + "' lists a use by node " + user.describe()
                    + " input " + index + ", but that input is " + (actual == null ? "empty" : "'" + actual.name() + "'"));
        }
    }

    private void verifyGraphOutputs(Graph graph) {
        Map<Value, Integer> listed = new IdentityHashMap<>();
        graph.outputs().forEach(value -> listed.merge(value, 1, Integer::sum));
        for (Map.Entry<Value, Integer> entry : listed.entrySet()) {
            Value value = entry.getKey();
            long recorded = value.graphsOutputting().stream().filter(g -> g == graph).count();
            if (recorded != entry.getValue()) {
                throw new ValidationException("graph '" + graph.name() + "' lists '" + value.name() + "' as an output "
                        + entry.getValue() + " times, but the value records it " + recorded + " times");
            }
        }
    }
}
