package dev.tern.ir;

import dev.tern.ir.internal.ModificationFlag;
import dev.tern.ir.internal.ObservedMap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One operator application: domain, op type, inputs (an entry may be {@code null} for an
 * omitted optional input), outputs (likewise), attributes and subgraphs in GRAPH attributes.
 * Every input change goes through this class, which keeps the inputs' use lists right.
 */
public final class Node {
    /** The default ONNX domain, written as the empty string. */
    public static final String DEFAULT_DOMAIN = "";

    private final ModificationFlag modification = new ModificationFlag();
    private final String domain;
    private final String opType;
    private String overload = "";
    private String name = "";
    private String docString = "";
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Map<String, Attribute> attributes = new LinkedHashMap<>();
    private final Map<String, String> metadataProps = new ObservedMap<>(modification::mark);
    private OpaqueFields opaqueFields = OpaqueFields.NONE;
    private Graph graph;
    private boolean usesRegistered = true;

    /**
     * A node reading {@code inputs} and producing {@code outputs}.
     *
     * @param outputs values not produced by any other node; {@code null} entries are omitted outputs
     * @throws IrException if an output already has a producer, or a subgraph already belongs to a node
     */
    public Node(String domain, String opType, List<Value> inputs, List<Value> outputs,
                Collection<Attribute> attributes) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.opType = Objects.requireNonNull(opType, "opType");
        for (Value input : inputs) {
            appendInput(input);
        }
        for (Value output : outputs) {
            int index = this.outputs.size();
            this.outputs.add(output);
            if (output != null) {
                output.setProducer(this, index);
            }
        }
        for (Attribute attribute : attributes) {
            setAttribute(attribute);
        }
    }

    public String domain() {
        return domain;
    }

    public String opType() {
        return opType;
    }

    public String overload() {
        return overload;
    }

    public void setOverload(String newOverload) {
        this.overload = Objects.requireNonNull(newOverload);
        modification.mark();
    }

    /** The node's name; may be empty. */
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
     * Fields of the node's ONNX {@code NodeProto} that Tern keeps without interpreting: its
     * multi-device configurations and fields of a newer schema.
     */
    public OpaqueFields opaqueFields() {
        return opaqueFields;
    }

    public void setOpaqueFields(OpaqueFields fields) {
        this.opaqueFields = Objects.requireNonNull(fields, "fields");
        modification.mark();
    }

    /** The graph this node belongs to, or {@code null} if it is not in one. */
    public Graph graph() {
        return graph;
    }

    /** The inputs, {@code null} where an optional input is omitted (read-only). */
    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public Value input(int index) {
        return inputs.get(index);
    }

    /** The outputs, {@code null} where an optional output is omitted (read-only). */
    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public Value output(int index) {
        return outputs.get(index);
    }

    /** Replaces input {@code index} ({@code null} omits it), moving the use between the values. */
    public void setInput(int index, Value value) {
        Objects.checkIndex(index, inputs.size());
        Value old = inputs.get(index);
        if (old == value) {
            return;
        }
        if (old != null && usesRegistered) {
            old.removeUse(this, index);
        }
        inputs.set(index, value);
        if (value != null && usesRegistered) {
            value.addUse(this, index);
        }
        modification.mark();
    }

    /** Adds an input at the end. */
    public void appendInput(Value value) {
        int index = inputs.size();
        inputs.add(value);
        if (value != null && usesRegistered) {
            value.addUse(this, index);
        }
        modification.mark();
    }

    /** Replaces every occurrence of {@code old} among the inputs by {@code replacement}. */
    public void replaceInput(Value old, Value replacement) {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == old) {
                setInput(i, replacement);
            }
        }
    }

    /** The attributes in insertion order (read-only). */
    public Map<String, Attribute> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    public Optional<Attribute> attribute(String attributeName) {
        return Optional.ofNullable(attributes.get(attributeName));
    }

    /**
     * Adds or replaces an attribute. Subgraphs it holds become owned by this node.
     *
     * @throws IrException if a subgraph already belongs to another node
     */
    public void setAttribute(Attribute attribute) {
        for (Graph subgraph : attribute.subgraphs()) {
            if (subgraph.parentNode() != null && subgraph.parentNode() != this) {
                throw new IrException("graph '" + subgraph.name() + "' already belongs to node "
                        + subgraph.parentNode().describe() + "; it cannot also be an attribute of " + describe());
            }
        }
        Attribute previous = attributes.put(attribute.name(), attribute);
        if (previous != null) {
            previous.subgraphs().forEach(this::detachSubgraph);
        }
        for (Graph subgraph : attribute.subgraphs()) {
            subgraph.setParentNode(this);
            // A subgraph's reads of outer values count as uses exactly while this node is live.
            subgraph.nodes().forEach(usesRegistered ? Node::registerUses : Node::unregisterUses);
        }
        modification.mark();
    }

    /** Removes an attribute if present; nodes of a subgraph it held stop counting as users of outer values. */
    public void removeAttribute(String attributeName) {
        Attribute removed = attributes.remove(attributeName);
        if (removed != null) {
            removed.subgraphs().forEach(this::detachSubgraph);
            modification.mark();
        }
    }

    /** Every subgraph held in this node's GRAPH and GRAPHS attributes. */
    public List<Graph> subgraphs() {
        List<Graph> result = new ArrayList<>();
        for (Attribute attribute : attributes.values()) {
            result.addAll(attribute.subgraphs());
        }
        return result;
    }

    /** "name (Op)" or "(Op)" with the domain when not the default, for messages. */
    public String describe() {
        String op = domain.isEmpty() ? opType : domain + "::" + opType;
        return (name.isEmpty() ? "<unnamed>" : "'" + name + "'") + " (" + op + ")";
    }

    @Override
    public String toString() {
        return "Node" + describe();
    }

    void setGraph(Graph owner) {
        this.graph = owner;
    }

    /**
     * Adds the modification flags of this node, the values it reads and writes, and everything
     * in its subgraphs. Inputs count too: most are some graph's own values anyway, but a value
     * no graph defines (a training step's read of the inference graph) is only reachable here.
     */
    void collectModificationFlags(List<ModificationFlag> into) {
        into.add(modification);
        for (Value input : inputs) {
            if (input != null) {
                into.add(input.modification());
            }
        }
        for (Value output : outputs) {
            if (output != null) {
                into.add(output.modification());
            }
        }
        for (Graph subgraph : subgraphs()) {
            subgraph.collectModificationFlags(into);
        }
    }

    /** Whether this node's inputs (and its subgraphs' nodes' inputs) are registered as uses. */
    boolean usesRegistered() {
        return usesRegistered;
    }

    /**
     * Drops this node's uses of its inputs, and those of every node in its subgraphs, which may
     * read outer values; called when the node leaves its graph.
     */
    void unregisterUses() {
        if (usesRegistered) {
            for (int i = 0; i < inputs.size(); i++) {
                Value input = inputs.get(i);
                if (input != null) {
                    input.removeUse(this, i);
                }
            }
            usesRegistered = false;
        }
        for (Graph subgraph : subgraphs()) {
            subgraph.nodes().forEach(Node::unregisterUses);
        }
    }

    /** Registers the uses dropped by {@link #unregisterUses()} again; called when a removed node joins a graph. */
    void registerUses() {
        if (!usesRegistered) {
            for (int i = 0; i < inputs.size(); i++) {
                Value input = inputs.get(i);
                if (input != null) {
                    input.addUse(this, i);
                }
            }
            usesRegistered = true;
        }
        for (Graph subgraph : subgraphs()) {
            subgraph.nodes().forEach(Node::registerUses);
        }
    }

    private void detachSubgraph(Graph subgraph) {
        subgraph.setParentNode(null);
        subgraph.nodes().forEach(Node::unregisterUses);
    }
}
