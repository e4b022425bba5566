package dev.tern.ir;

import dev.tern.ir.internal.UniqueNames;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Edits an existing graph the way a pass does: adds nodes at an insertion point (the end, or
 * just before or after a node, so the order stays topological), hands out fresh names, redirects
 * every reader of a value, and swaps or removes nodes.
 *
 * <p>Names handed out are unique among the node and value names of the outermost graph around
 * the edited one and all its subgraphs at the time the editor was made, and among the names the
 * editor gave or took since ({@link #claimName}, {@link #addNode(Node)}); names made by other
 * means in between are not seen. Nodes and values share
 * one namespace, so a new single-output node and its output have the same name. Use one editor
 * per model at a time. Not thread-safe.
 */
public final class GraphEditor {
    private final Graph graph;
    private final UniqueNames names = new UniqueNames();
    private Node anchor;
    private boolean afterAnchor;

    private GraphEditor(Graph graph) {
        this.graph = graph;
        Graph outermost = graph;
        while (outermost.outerGraph() != null) {
            outermost = outermost.outerGraph();
        }
        claimNames(outermost);
    }

    /** An editor of {@code graph}, inserting at the end. */
    public static GraphEditor of(Graph graph) {
        return new GraphEditor(Objects.requireNonNull(graph, "graph"));
    }

    public Graph graph() {
        return graph;
    }

    // ---- insertion point

    /**
     * Adds new nodes just before {@code node}, in the order they are added, until the insertion
     * point is moved.
     *
     * @throws IrException if {@code node} is not in the edited graph
     */
    public GraphEditor insertBefore(Node node) {
        this.anchor = requireMember(node);
        this.afterAnchor = false;
        return this;
    }

    /**
     * Adds new nodes just after {@code node}, in the order they are added (each after the one
     * added before it), until the insertion point is moved.
     *
     * @throws IrException if {@code node} is not in the edited graph
     */
    public GraphEditor insertAfter(Node node) {
        this.anchor = requireMember(node);
        this.afterAnchor = true;
        return this;
    }

    /** Adds new nodes at the end of the graph again. */
    public GraphEditor append() {
        this.anchor = null;
        return this;
    }

    // ---- names

    /** Takes and returns {@code base} if no node or value has that name yet, otherwise the first free {@code base_N}. */
    public String freshName(String base) {
        Objects.requireNonNull(base, "base");
        return names.preferred(base);
    }

    /**
     * Takes {@code name} for a node or value the caller adds under exactly that name, so that
     * later fresh names avoid it.
     *
     * @return {@code false}, taking nothing, if a node or value already has that name
     */
    public boolean claimName(String name) {
        Objects.requireNonNull(name, "name");
        return names.claim(name);
    }

    // ---- adding

    /**
     * Adds a default-domain node named after its op type, with {@code outputCount} new
     * outputs, at the insertion point.
     *
     * @throws IllegalArgumentException if {@code outputCount} is negative
     */
    public Node addNode(String opType, List<Value> inputs, int outputCount, Collection<Attribute> attributes) {
        return addNode(Node.DEFAULT_DOMAIN, opType, inputs, outputCount, attributes);
    }

    /**
     * Adds a node of {@code domain} named after its op type, with {@code outputCount} new
     * outputs (a single output takes the node's name, several take {@code name_0},
     * {@code name_1}, ...), at the insertion point. Inputs may be {@code null} for omitted
     * optional inputs.
     *
     * @throws IllegalArgumentException if {@code outputCount} is negative
     */
    public Node addNode(String domain, String opType, List<Value> inputs, int outputCount,
                        Collection<Attribute> attributes) {
        if (outputCount < 0) {
            throw new IllegalArgumentException("output count of a new " + opType + " node must not be negative, found "
                    + outputCount);
        }
        String nodeName = freshName(opType);
        List<Value> outputs = new ArrayList<>(outputCount);
        for (int i = 0; i < outputCount; i++) {
            outputs.add(new Value(outputCount == 1 ? nodeName : freshName(nodeName)));
        }
        Node node = new Node(domain, opType, inputs, outputs, attributes);
        node.setName(nodeName);
        insert(node);
        return node;
    }

    /**
     * Adds {@code node}, built by the caller with names of its own choosing, at the insertion
     * point, and takes its name and its outputs' names so that later fresh names avoid them.
     * Names taken already are not checked: a caller that needs them unique takes them from
     * {@link #freshName} first.
     *
     * @return {@code node}
     * @throws IrException if {@code node} already belongs to a graph
     */
    public Node addNode(Node node) {
        Objects.requireNonNull(node, "node");
        insert(node);
        names.claim(node.name());
        for (Value output : node.outputs()) {
            if (output != null) {
                names.claim(output.name());
            }
        }
        return node;
    }

    /** Adds a default-domain node with one output and returns that output. */
    public Value addOp(String opType, Value... inputs) {
        return addNode(opType, Arrays.asList(inputs), 1, List.of()).output(0);
    }

    /**
     * Adds an initializer holding {@code tensor} under a fresh name starting with {@code base}.
     */
    public Value addInitializer(String base, Tensor tensor) {
        String name = freshName(base);
        Value value = Value.constant(name, tensor.withName(name));
        graph.addInitializer(value);
        return value;
    }

    // ---- rewiring and removal

    /**
     * Makes every reader of {@code old}, node inputs (in any graph) and graph outputs alike,
     * read {@code replacement} instead.
     */
    public void replaceAllUsesWith(Value old, Value replacement) {
        Objects.requireNonNull(replacement, "replacement");
        old.replaceAllUsesWith(replacement);
        for (Graph outputting : List.copyOf(old.graphsOutputting())) {
            List<Value> outputs = outputting.outputs();
            for (int index = 0; index < outputs.size(); index++) {
                if (outputs.get(index) == old) {
                    outputting.setOutput(index, replacement);
                }
            }
        }
    }

    /**
     * Swaps {@code node} for values computed elsewhere: every reader of output {@code i} reads
     * {@code replacements.get(i)} instead, which takes over the output's name (the old output
     * gets a fresh {@code name_replaced}), and the node is removed. A {@code null} replacement
     * is allowed only for an output nothing reads.
     *
     * @throws IrException if the counts differ, or an output with a {@code null} replacement is still read
     */
    public void replaceNode(Node node, List<Value> replacements) {
        requireMember(node);
        if (replacements.size() != node.outputs().size()) {
            throw new IrException("graph '" + graph.name() + "': node " + node.describe() + " has "
                    + node.outputs().size() + " outputs, but " + replacements.size() + " replacements were given");
        }
        for (int i = 0; i < node.outputs().size(); i++) {
            Value old = node.output(i);
            Value replacement = replacements.get(i);
            if (old == null || replacement == null) {
                continue;
            }
            String name = old.name();
            old.rename(freshName(name + "_replaced"));
            replacement.rename(name);
            replaceAllUsesWith(old, replacement);
        }
        removeNode(node);
    }

    /**
     * Removes a node whose outputs nothing reads. If it was the insertion point, new nodes go
     * where it was.
     *
     * @throws IrException naming the value and its readers if an output is still read
     */
    public void removeNode(Node node) {
        requireMember(node);
        if (node == anchor) {
            moveAnchorOffRemovedNode(node);
        }
        graph.removeNode(node);
    }

    /**
     * Removes several nodes at once, readers before the nodes they read, so a group whose only
     * readers are each other can go together.
     *
     * @throws IrException naming the value and its readers if a node outside the group still reads an output
     */
    public void removeNodes(Collection<Node> doomed) {
        Set<Node> remaining = Collections.newSetFromMap(new IdentityHashMap<>());
        remaining.addAll(doomed);
        List<Node> order = new ArrayList<>(graph.nodes());
        Collections.reverse(order);
        for (Node node : order) {
            if (remaining.remove(node)) {
                removeNode(node);
            }
        }
        if (!remaining.isEmpty()) {
            throw new IrException("graph '" + graph.name() + "' does not hold node "
                    + remaining.iterator().next().describe());
        }
    }

    /**
     * Turns initializer {@code name} into a graph input of the same name and type, so each run
     * feeds its value; every reader follows.
     *
     * @throws IrException if the graph has no initializer of that name
     */
    public Value promoteInitializerToInput(String name) {
        Value initializer = graph.initializers().get(name);
        if (initializer == null) {
            throw new IrException("graph '" + graph.name() + "' has no initializer '" + name + "' to promote to an input");
        }
        Value input = new Value(name, initializer.type());
        replaceAllUsesWith(initializer, input);
        graph.removeInitializer(name);
        graph.addInput(input);
        return input;
    }

    private void insert(Node node) {
        if (anchor == null) {
            graph.appendNode(node);
        } else if (afterAnchor) {
            graph.insertAfter(anchor, node);
            anchor = node;
        } else {
            graph.insertBefore(anchor, node);
        }
    }

    /** Keeps the insertion point at the same place in the order once its anchor is gone. */
    private void moveAnchorOffRemovedNode(Node node) {
        List<Node> nodes = graph.nodes();
        int index = nodes.indexOf(node);
        Node previous = index > 0 ? nodes.get(index - 1) : null;
        Node next = index + 1 < nodes.size() ? nodes.get(index + 1) : null;
        if (next != null && (!afterAnchor || previous == null)) {
            anchor = next;
            afterAnchor = false;
        } else {
            anchor = previous;
            afterAnchor = true;
        }
    }

    private Node requireMember(Node node) {
        Objects.requireNonNull(node, "node");
        if (node.graph() != graph) {
            throw new IrException("node " + node.describe() + " is not in graph '" + graph.name() + "'"
                    + (node.graph() == null ? "" : "; it belongs to graph '" + node.graph().name() + "'"));
        }
        return node;
    }

    private void claimNames(Graph scope) {
        scope.inputs().forEach(value -> names.claim(value.name()));
        scope.initializers().keySet().forEach(names::claim);
        scope.outputs().forEach(value -> names.claim(value.name()));
        for (Node node : scope.nodes()) {
            names.claim(node.name());
            for (Value output : node.outputs()) {
                if (output != null) {
                    names.claim(output.name());
                }
            }
            node.subgraphs().forEach(this::claimNames);
        }
    }
}
