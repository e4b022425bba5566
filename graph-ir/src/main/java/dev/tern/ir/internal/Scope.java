package dev.tern.ir.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.ValidationException;
import dev.tern.ir.Value;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The values visible while walking one graph: those it has defined so far, plus those of
 * enclosing graphs defined before the node holding it. Enforces SSA: a name is defined once,
 * and a subgraph never redefines a name of an enclosing graph.
 */
final class Scope {
    private final Scope parent;
    private final Graph graph;
    private final String label;
    private final Map<String, String> roleByName = new HashMap<>();
    private final Map<Value, String> roleByValue = new IdentityHashMap<>();
    private final Map<String, Node> nodesByName = new HashMap<>();

    private Scope(Scope parent, Graph graph, String label) {
        this.parent = parent;
        this.graph = graph;
        this.label = label;
    }

    /** The scope of a graph validated on its own, as a top-level graph or function body. */
    static Scope root(Graph graph, String label) {
        return new Scope(null, graph, label);
    }

    /** The scope of {@code subgraph}, which sees everything this scope holds now. */
    Scope child(Graph subgraph) {
        return new Scope(this, subgraph, "graph '" + subgraph.name() + "'");
    }

    Graph graph() {
        return graph;
    }

    /** How messages name this scope's graph: "graph 'main'" or "function 'local::f'". */
    String label() {
        return label;
    }

    /** Whether {@code value} is visible here: defined in this scope or an enclosing one. */
    boolean contains(Value value) {
        for (Scope scope = this; scope != null; scope = scope.parent) {
            if (scope.roleByValue.containsKey(value)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this scope itself (not an enclosing one) defines {@code value}. */
    boolean definesHere(Value value) {
        return roleByValue.containsKey(value);
    }

    /**
     * Defines {@code value}, described as {@code role} ("input 0", "output 1 of node ...").
     *
     * @throws ValidationException if the value or its name is already defined in this scope or an enclosing one
     */
    void define(Value value, String role) {
        String earlier = roleByValue.get(value);
        if (earlier != null) {
            throw new ValidationException(label + ": value '" + value.name() + "' is defined twice: as "
                    + earlier + " and as " + role);
        }
        String name = value.name();
        if (!name.isEmpty() && roleByName.containsKey(name)) {
            throw new ValidationException(label + ": value name '" + name + "' is defined twice: as "
                    + roleByName.get(name) + " and as " + role);
        }
        for (Scope outer = parent; outer != null; outer = outer.parent) {
            String outerRole = outer.roleByValue.get(value);
            if (outerRole == null && !name.isEmpty()) {
                outerRole = outer.roleByName.get(name);
            }
            if (outerRole != null) {
                throw new ValidationException(label + ": " + role + " '" + name + "' redefines " + outerRole
                        + " of " + outer.label + "; ONNX forbids a subgraph to redefine an outer name");
            }
        }
        roleByValue.put(value, role);
        if (!name.isEmpty()) {
            roleByName.put(name, role);
        }
    }

    /**
     * Makes {@code value} visible without the SSA checks of {@link #define}: for enclosing
     * graphs of a subgraph validated on its own, whose duplicates are their own validation's
     * business.
     */
    void admit(Value value, String role) {
        roleByValue.putIfAbsent(value, role);
        if (!value.name().isEmpty()) {
            roleByName.putIfAbsent(value.name(), role);
        }
    }

    /**
     * Records the name of {@code node}, a node of this graph.
     *
     * @return the earlier node of this graph with the same name, or {@code null}
     */
    Node claimNodeName(Node node) {
        if (node.name().isEmpty()) {
            return null;
        }
        return nodesByName.putIfAbsent(node.name(), node);
    }
}
