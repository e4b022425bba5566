package dev.tern.ir.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.ValidationException;
import dev.tern.ir.Value;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a graph and its subgraphs in node order, defining values as they appear, and fails on
 * the first value read out of scope, name defined twice, duplicate node name, undefined graph
 * output or node of an unimported domain. Failures name the graph, node and value.
 */
final class ScopeWalker {
    /** Where each value of the model is defined, to explain why a read is out of scope. */
    private final Map<Value, Graph> homeOf = new IdentityHashMap<>();
    private final DomainCheck domains;

    /** Which node domains a walked graph may use; {@code null} means any. */
    record DomainCheck(Set<String> imported, String importer) {
    }

    /** @param allRoots every top-level graph whose values may be read (for explanations) */
    ScopeWalker(List<Graph> allRoots, DomainCheck domains) {
        this.domains = domains;
        for (Graph root : allRoots) {
            index(root);
        }
    }

    /** Checks {@code scope}'s graph, whose enclosing values (if any) {@code scope} already holds. */
    void walk(Scope scope) {
        Graph graph = scope.graph();
        List<Value> inputs = graph.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            scope.define(inputs.get(i), "input " + i);
        }
        for (Value initializer : graph.initializers().values()) {
            // An initializer that is also an input is that input's default, not a second definition.
            if (!(scope.definesHere(initializer) && inputs.contains(initializer))) {
                scope.define(initializer, "initializer");
            }
        }
        for (Node node : graph.nodes()) {
            walkNode(scope, node);
        }
        List<Value> outputs = graph.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            Value output = outputs.get(i);
            if (!scope.contains(output)) {
                throw new ValidationException(scope.label() + ": output " + i + " '" + output.name()
                        + "' is not defined" + whereDefined(scope, output));
            }
        }
    }

    private void walkNode(Scope scope, Node node) {
        Node namesake = scope.claimNodeName(node);
        if (namesake != null) {
            throw new ValidationException(scope.label() + ": node name '" + node.name()
                    + "' is used twice, by " + namesake.describe() + " and by " + node.describe());
        }
        if (domains != null && !domains.imported().contains(Domains.normalize(node.domain()))) {
            throw new ValidationException(scope.label() + ": node " + node.describe() + " has domain '"
                    + node.domain() + "', which " + domains.importer() + " does not import (imports: "
                    + Domains.describe(domains.imported()) + ")");
        }
        List<Value> inputs = node.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            Value input = inputs.get(i);
            if (input != null && !scope.contains(input)) {
                throw outOfScope(scope, node, i, input);
            }
        }
        for (Graph subgraph : node.subgraphs()) {
            walk(scope.child(subgraph));
        }
        List<Value> outputs = node.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) != null) {
                scope.define(outputs.get(i), "output " + i + " of node " + node.describe());
            }
        }
    }

    private ValidationException outOfScope(Scope scope, Node node, int index, Value input) {
        String read = scope.label() + ": node " + node.describe() + " input " + index + " '" + input.name() + "'";
        Graph home = homeOf.get(input);
        if (home == null) {
            return new ValidationException(read + " is not defined in scope" + whereDefined(scope, input));
        }
        boolean inScopeChain = home == scope.graph() || encloses(home, scope.graph());
        List<Node> cycle = inScopeChain ? TopologicalOrder.findCycle(home.nodes()) : List.of();
        if (!cycle.isEmpty()) {
            return new ValidationException("graph '" + home.name() + "' has a cycle: " + TopologicalOrder.describe(cycle));
        }
        if (home == scope.graph()) {
            return new ValidationException(read + " is used before it is produced by node "
                    + input.producer().describe() + "; Graph.sortTopologically() fixes the order");
        }
        if (encloses(home, scope.graph())) {
            return new ValidationException(read + " is produced by node " + input.producer().describe()
                    + " of enclosing graph '" + home.name() + "', after the node holding this subgraph");
        }
        return new ValidationException(read + " belongs to graph '" + home.name()
                + "', which does not enclose this graph");
    }

    /** " (its producer ... is not in the model)" when that explains an undefined value, else "". */
    private String whereDefined(Scope scope, Value value) {
        Node producer = value.producer();
        if (producer != null && !homeOf.containsKey(value)) {
            return " (its producer " + producer.describe() + " is not in the model)";
        }
        if (homeOf.containsKey(value) && homeOf.get(value) != scope.graph()) {
            return " (it belongs to graph '" + homeOf.get(value).name() + "')";
        }
        return "";
    }

    private static boolean encloses(Graph outer, Graph inner) {
        for (Graph graph = inner.outerGraph(); graph != null; graph = graph.outerGraph()) {
            if (graph == outer) {
                return true;
            }
        }
        return false;
    }

    private void index(Graph graph) {
        graph.inputs().forEach(value -> homeOf.putIfAbsent(value, graph));
        graph.initializers().values().forEach(value -> homeOf.putIfAbsent(value, graph));
        for (Node node : graph.nodes()) {
            for (Value output : node.outputs()) {
                if (output != null) {
                    homeOf.putIfAbsent(output, graph);
                }
            }
            node.subgraphs().forEach(this::index);
        }
    }
}
