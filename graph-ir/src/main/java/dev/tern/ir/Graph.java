package dev.tern.ir;

import dev.tern.ir.internal.ModelValidator;
import dev.tern.ir.internal.ModificationFlag;
import dev.tern.ir.internal.ObservedMap;
import dev.tern.ir.internal.TopologicalOrder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A computation graph: inputs, outputs, initializers and nodes kept in topological order.
 * A graph held in a node attribute is a subgraph; its nodes may read values of enclosing
 * graphs by referring to the same {@link Value} objects.
 */
public final class Graph {
    private final ModificationFlag modification = new ModificationFlag();
    private String name;
    private String docString = "";
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Map<String, Value> initializers = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, String> metadataProps = new ObservedMap<>(modification::mark);
    private final Map<String, QuantizationAnnotation> quantizationAnnotations =
            new ObservedMap<>(modification::mark);
    private OpaqueFields opaqueFields = OpaqueFields.NONE;
    private Node parentNode;

    public Graph(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public String name() {
        return name;
    }

    public void setName(String newName) {
        this.name = Objects.requireNonNull(newName);
        modification.mark();
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String newDocString) {
        this.docString = Objects.requireNonNull(newDocString);
        modification.mark();
    }

    public Map<String, String> metadataProps() {
        return metadataProps;
    }

    /**
     * Where the quantization parameters of this graph's quantized tensors live, by the name of
     * the tensor they describe, in insertion order; mutable. The names are plain strings:
     * renaming a value does not update them.
     */
    public Map<String, QuantizationAnnotation> quantizationAnnotations() {
        return quantizationAnnotations;
    }

    /** Fields of the graph's ONNX {@code GraphProto} that Tern keeps without interpreting. */
    public OpaqueFields opaqueFields() {
        return opaqueFields;
    }

    public void setOpaqueFields(OpaqueFields fields) {
        this.opaqueFields = Objects.requireNonNull(fields, "fields");
        modification.mark();
    }

    /** The node whose attribute holds this graph, or {@code null} for a top-level graph. */
    public Node parentNode() {
        return parentNode;
    }

    /** The graph enclosing this subgraph, or {@code null} for a top-level graph. */
    public Graph outerGraph() {
        return parentNode == null ? null : parentNode.graph();
    }

    // ---- inputs

    /** The inputs in order (read-only). An input that is also an initializer has a default value. */
    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    /**
     * Adds an input.
     *
     * @throws IrException if the value is produced by a node
     */
    public void addInput(Value value) {
        if (value.producer() != null) {
            throw new IrException("graph '" + name + "': value '" + value.name()
                    + "' is produced by node " + value.producer().describe() + " and cannot be an input");
        }
        inputs.add(value);
        modification.mark();
    }

    /**
     * Removes an input.
     *
     * @throws IrException if it is still used
     */
    public void removeInput(Value value) {
        if (!inputs.contains(value)) {
            throw new IrException("graph '" + name + "' has no input '" + value.name() + "'");
        }
        if (!value.isInitializer()) {
            requireUnused(value, "input");
        }
        inputs.remove(value);
        modification.mark();
    }

    // ---- outputs

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public void addOutput(Value value) {
        outputs.add(Objects.requireNonNull(value));
        value.addOutputOf(this);
        modification.mark();
    }

    /** Makes {@code value} the graph's output {@code index}. */
    public void setOutput(int index, Value value) {
        Objects.requireNonNull(value);
        Value old = outputs.set(index, value);
        old.removeOutputOf(this);
        value.addOutputOf(this);
        modification.mark();
    }

    public void removeOutput(int index) {
        outputs.remove(index).removeOutputOf(this);
        modification.mark();
    }

    // ---- initializers

    /** Initializer values by name, in insertion order (read-only). */
    public Map<String, Value> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    /**
     * Adds an initializer value (one made by {@link Value#constant} or {@link Value#sparseConstant}).
     * Renaming the value later keeps this index current.
     *
     * @throws IrException if it holds no constant, the name is taken by another initializer,
     *     or the value is an initializer of another graph
     */
    public void addInitializer(Value value) {
        if (!value.isInitializer()) {
            throw new IrException("graph '" + name + "': value '" + value.name() + "' holds no constant");
        }
        if (value.initializerOf() != null && value.initializerOf() != this) {
            throw new IrException("graph '" + name + "': value '" + value.name()
                    + "' is already an initializer of graph '" + value.initializerOf().name() + "'");
        }
        Value existing = initializers.putIfAbsent(value.name(), value);
        if (existing != null && existing != value) {
            throw new IrException("graph '" + name + "' already has an initializer named '" + value.name() + "'");
        }
        value.setInitializerOf(this);
        modification.mark();
    }

    /**
     * Adds an initializer holding {@code tensor} under the tensor's name and returns its value.
     *
     * @throws IrException if the name is taken by another initializer
     */
    public Value addInitializer(Tensor tensor) {
        Value value = Value.constant(tensor.name(), tensor);
        addInitializer(value);
        return value;
    }

    /**
     * Removes an initializer, and the graph input of the same value if there is one.
     *
     * @throws IrException if there is no such initializer or it is still used
     */
    public void removeInitializer(String initializerName) {
        Value value = initializers.get(initializerName);
        if (value == null) {
            throw new IrException("graph '" + name + "' has no initializer '" + initializerName + "'");
        }
        requireUnused(value, "initializer");
        initializers.remove(initializerName);
        inputs.remove(value);
        value.setInitializerOf(null);
        modification.mark();
    }

    // ---- lookup

    /**
     * The value of this graph named {@code valueName}: an input, an initializer or a node's
     * output. Only this graph's own values count: its subgraphs' are not searched, nor the outer
     * graph's values a subgraph reads.
     */
    public Optional<Value> findValue(String valueName) {
        Objects.requireNonNull(valueName, "valueName");
        for (Value input : inputs) {
            if (input.name().equals(valueName)) {
                return Optional.of(input);
            }
        }
        Value initializer = initializers.get(valueName);
        if (initializer != null) {
            return Optional.of(initializer);
        }
        for (Node node : nodes) {
            for (Value output : node.outputs()) {
                if (output != null && output.name().equals(valueName)) {
                    return Optional.of(output);
                }
            }
        }
        return Optional.empty();
    }

    // ---- nodes

    /** A snapshot of the nodes in order: safe to iterate while editing the graph. */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public int nodeCount() {
        return nodes.size();
    }

    /** Appends a node at the end. */
    public void appendNode(Node node) {
        adopt(node);
        nodes.add(node);
        modification.mark();
    }

    /** Inserts {@code node} just before {@code anchor}. */
    public void insertBefore(Node anchor, Node node) {
        int index = indexOf(anchor);
        adopt(node);
        nodes.add(index, node);
        modification.mark();
    }

    /** Inserts {@code node} just after {@code anchor}. */
    public void insertAfter(Node anchor, Node node) {
        int index = indexOf(anchor);
        adopt(node);
        nodes.add(index + 1, node);
        modification.mark();
    }

    /**
     * Removes a node whose outputs are no longer used.
     *
     * @throws IrException naming the value and its users if an output is still used
     */
    public void removeNode(Node node) {
        int index = indexOf(node);
        for (Value output : node.outputs()) {
            if (output != null) {
                requireUnused(output, "output of node " + node.describe());
            }
        }
        nodes.remove(index);
        node.unregisterUses();
        node.setGraph(null);
        modification.mark();
    }

    /** Every node of this graph and, recursively, of its subgraphs, parents before their subgraphs' nodes. */
    public List<Node> allNodes() {
        List<Node> result = new ArrayList<>();
        for (Node node : nodes) {
            result.add(node);
            for (Graph subgraph : node.subgraphs()) {
                result.addAll(subgraph.allNodes());
            }
        }
        return result;
    }

    /**
     * Orders the nodes so every value is computed before it is read, keeping the current
     * order where it is already valid (among nodes ready at the same time, the earlier one
     * goes first). A node counts as reading every outer value its subgraphs read. Subgraphs
     * are sorted too.
     *
     * @throws IrException naming the nodes of one cycle if the graph has a cycle; the order
     *     is then left unchanged
     */
    public void sortTopologically() {
        List<Node> sorted = TopologicalOrder.sort(name, nodes);
        if (!sorted.equals(nodes)) {
            nodes.clear();
            nodes.addAll(sorted);
            modification.mark();
        }
        for (Node node : nodes) {
            node.subgraphs().forEach(Graph::sortTopologically);
        }
    }

    /**
     * Checks this graph and its subgraphs: every value read is defined earlier in scope, names
     * are unique (no subgraph redefines an outer name), node names are unique, outputs are
     * defined, there is no cycle, and use lists match node inputs. If this is a subgraph,
     * values its enclosing graphs define before its parent node are in scope. Opset imports
     * are not checked; {@link Model#validate()} does that.
     *
     * @throws ValidationException describing the first problem found
     */
    public void validate() {
        ModelValidator.validate(this);
    }

    @Override
    public String toString() {
        return "Graph(" + name + ": " + inputs.size() + " inputs, " + outputs.size() + " outputs, "
                + nodes.size() + " nodes, " + initializers.size() + " initializers)";
    }

    void setParentNode(Node node) {
        this.parentNode = node;
    }

    /** Adds the modification flags of this graph, its values and nodes, and its subgraphs. */
    void collectModificationFlags(List<ModificationFlag> into) {
        into.add(modification);
        inputs.forEach(value -> into.add(value.modification()));
        initializers.values().forEach(value -> into.add(value.modification()));
        outputs.forEach(value -> into.add(value.modification()));
        nodes.forEach(node -> node.collectModificationFlags(into));
    }

    private void adopt(Node node) {
        if (node.graph() != null) {
            throw new IrException("node " + node.describe() + " already belongs to graph '"
                    + node.graph().name() + "'");
        }
        node.setGraph(this);
        if (isLive()) {
            node.registerUses();
        } else {
            node.unregisterUses();
        }
    }

    /** Whether nodes of this graph count as users: false inside a subgraph of a removed node. */
    private boolean isLive() {
        return parentNode == null || parentNode.usesRegistered();
    }

    /** Moves {@code value}'s initializer entry to {@code newName}, keeping the order. */
    void rekeyInitializer(Value value, String newName) {
        Value holder = initializers.get(newName);
        if (holder != null && holder != value) {
            throw new IrException("graph '" + name + "': cannot rename initializer '" + value.name()
                    + "' to '" + newName + "', another initializer has that name");
        }
        List<Value> values = new ArrayList<>(initializers.values());
        initializers.clear();
        for (Value each : values) {
            initializers.put(each == value ? newName : each.name(), each);
        }
    }

    private int indexOf(Node node) {
        int index = nodes.indexOf(node);
        if (index < 0) {
            throw new IrException("node " + node.describe() + " is not in graph '" + name + "'");
        }
        return index;
    }

    private void requireUnused(Value value, String role) {
        if (!value.isUsed()) {
            return;
        }
        List<String> users = new ArrayList<>();
        for (Value.Use use : value.uses()) {
            users.add(use.node().describe() + " input " + use.inputIndex());
        }
        for (Graph graph : value.graphsOutputting()) {
            users.add("output of graph '" + graph.name() + "'");
        }
        throw new IrException("graph '" + name + "': cannot remove " + role + " '" + value.name()
                + "', still used by " + String.join(", ", users));
    }
}
