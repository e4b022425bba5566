package dev.tern.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One node under construction, from {@link GraphBuilder#node}: set the domain, name, inputs
 * and attributes, then add it to the graph with exactly one call of {@link #output()},
 * {@link #output(String)}, {@link #outputs(int)} or {@link #outputs(String...)}, which return
 * the new values. Each setter checks its argument at once and throws {@link IrException}
 * naming the node; every attribute setter throws if an attribute of that name was already set.
 */
public final class NodeBuilder {
    private final GraphBuilder owner;
    private final String opType;
    private String domain = Node.DEFAULT_DOMAIN;
    private String name;
    private final List<Value> inputs = new ArrayList<>();
    private final Map<String, Attribute> attributes = new LinkedHashMap<>();
    private boolean added;

    NodeBuilder(GraphBuilder owner, String opType) {
        this.owner = owner;
        this.opType = opType;
    }

    /** The operator's domain; the default ("") when not called. */
    public NodeBuilder domain(String newDomain) {
        this.domain = Objects.requireNonNull(newDomain, "domain");
        return this;
    }

    /**
     * The node's name; a fresh {@code OpType_N} when not called.
     *
     * @throws IrException if another node already has this name
     */
    public NodeBuilder name(String nodeName) {
        Objects.requireNonNull(nodeName, "name");
        if (this.name != null) {
            throw new IrException(describe() + ": name set twice");
        }
        this.name = owner.claimNodeName(nodeName);
        return this;
    }

    /**
     * Appends inputs; a {@code null} entry is an omitted optional input.
     *
     * @throws IrException if a value is not defined in this graph or an enclosing one
     */
    public NodeBuilder inputs(Value... values) {
        for (Value value : values) {
            if (value != null) {
                owner.requireVisible(value, describeNode() + " input " + inputs.size());
            }
            inputs.add(value);
        }
        return this;
    }

    /** An INT attribute. */
    public NodeBuilder attr(String attributeName, long value) {
        return attr(Attribute.ofInt(attributeName, value));
    }

    /** A FLOAT attribute. */
    public NodeBuilder attr(String attributeName, float value) {
        return attr(Attribute.ofFloat(attributeName, value));
    }

    /** A STRING attribute (UTF-8). */
    public NodeBuilder attr(String attributeName, String value) {
        return attr(Attribute.ofString(attributeName, value));
    }

    /** A TENSOR attribute. */
    public NodeBuilder attr(String attributeName, Tensor value) {
        return attr(Attribute.ofTensor(attributeName, value));
    }

    /**
     * A GRAPH attribute, typically from a {@link GraphBuilder#subgraph} builder's {@code build()}.
     *
     * @throws IrException if an attribute of that name was already set
     */
    public NodeBuilder attr(String attributeName, Graph value) {
        return attr(Attribute.ofGraph(attributeName, value));
    }

    /** An INTS attribute. */
    public NodeBuilder ints(String attributeName, long... values) {
        return attr(Attribute.ofInts(attributeName, values));
    }

    /** A FLOATS attribute. */
    public NodeBuilder floats(String attributeName, float... values) {
        return attr(Attribute.ofFloats(attributeName, values));
    }

    /** A STRINGS attribute (UTF-8). */
    public NodeBuilder strings(String attributeName, String... values) {
        return attr(Attribute.ofStrings(attributeName, values));
    }

    /**
     * Any attribute.
     *
     * @throws IrException if an attribute of that name was already set
     */
    public NodeBuilder attr(Attribute attribute) {
        Objects.requireNonNull(attribute, "attribute");
        if (attributes.putIfAbsent(attribute.name(), attribute) != null) {
            throw new IrException(describe() + ": attribute '" + attribute.name() + "' set twice");
        }
        return this;
    }

    /**
     * Adds the node with one freshly named output and returns it.
     *
     * @throws IrException if the node was already added
     */
    public Value output() {
        return outputs(1).get(0);
    }

    /**
     * Adds the node with one output named {@code outputName} and returns it.
     *
     * @throws IrException if the name is already used or the node was already added
     */
    public Value output(String outputName) {
        return outputs(new String[] {Objects.requireNonNull(outputName, "outputName")}).get(0);
    }

    /**
     * Adds the node with {@code count} freshly named outputs and returns them: a single one is
     * named after the node if that name is free, several get {@code <node name>_<i>}.
     *
     * @throws IrException if {@code count} is negative or the node was already added
     */
    public List<Value> outputs(int count) {
        if (count < 0) {
            throw new IrException(describe() + ": output count must be >= 0, found " + count);
        }
        String nodeName = nodeName();
        String[] names = new String[count];
        if (count == 1) {
            // A lone output is named like its node when that name is free: MatMul_0 computes MatMul_0.
            names[0] = owner.preferredValueName(nodeName);
        } else {
            for (int i = 0; i < count; i++) {
                names[i] = owner.freshValueName(nodeName);
            }
        }
        return addWith(names, false);
    }

    /**
     * Adds the node with outputs named {@code outputNames}; a {@code null} entry is an omitted
     * optional output and comes back as {@code null}.
     *
     * @throws IrException if a name is already used or the node was already added
     */
    public List<Value> outputs(String... outputNames) {
        return addWith(outputNames.clone(), true);
    }

    private List<Value> addWith(String[] outputNames, boolean claimNames) {
        if (added) {
            throw new IrException(describe() + " was already added");
        }
        List<Value> outputs = new ArrayList<>(outputNames.length);
        for (String outputName : outputNames) {
            if (outputName == null) {
                outputs.add(null);
            } else {
                outputs.add(new Value(claimNames ? owner.claimValueName(outputName) : outputName));
            }
        }
        Node node = new Node(domain, opType, inputs, outputs, attributes.values());
        node.setName(nodeName());
        owner.add(node);
        added = true;
        return outputs;
    }

    /** The node's name, allocating a fresh one on first need so outputs can be named after it. */
    private String nodeName() {
        if (name == null) {
            name = owner.freshNodeName(opType);
        }
        return name;
    }

    private String describe() {
        return "graph '" + owner.graph().name() + "': " + describeNode();
    }

    private String describeNode() {
        String op = domain.isEmpty() ? opType : domain + "::" + opType;
        return "node " + (name == null ? "<unnamed>" : "'" + name + "'") + " (" + op + ")";
    }

    @Override
    public String toString() {
        return "NodeBuilder(" + describe() + ", inputs " + Arrays.toString(inputs.toArray()) + ")";
    }
}
