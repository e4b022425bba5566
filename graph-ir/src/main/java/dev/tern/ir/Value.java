package dev.tern.ir;

import dev.tern.ir.internal.ModificationFlag;
import dev.tern.ir.internal.ObservedMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named value in a graph: a graph input, an initializer, or the output of a node. It knows
 * its producer and every use as a (node, input index) pair; only {@link Node} edits the use
 * list, so it cannot go stale.
 */
public final class Value {
    /** One place a value is consumed: input {@code inputIndex} of {@code node}. */
    public record Use(Node node, int inputIndex) {
    }

    private final ModificationFlag modification = new ModificationFlag();
    private String name;
    private ValueType type;
    private String docString = "";
    private final Map<String, String> metadataProps = new ObservedMap<>(modification::mark);
    private OpaqueFields opaqueFields = OpaqueFields.NONE;
    private Tensor initializer;
    private SparseTensor sparseInitializer;
    private Node producer;
    private int outputIndex = -1;
    private final List<Use> uses = new ArrayList<>();
    private final List<Graph> outputOf = new ArrayList<>();
    private Graph initializerOf;

    /** A value with a name and an unknown type. */
    public Value(String name) {
        this(name, null);
    }

    /** A value with a name and a type ({@code null} when unknown). */
    public Value(String name, ValueType type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
    }

    /** A value holding a constant, for use as a graph initializer; its type is the tensor's. */
    public static Value constant(String name, Tensor tensor) {
        Value value = new Value(name, tensor.type());
        value.initializer = tensor;
        return value;
    }

    /** A value holding a sparse constant, for use as a graph sparse initializer. */
    public static Value sparseConstant(String name, SparseTensor tensor) {
        Value value = new Value(name, new ValueType.SparseTensorType(
                tensor.values().elementType(), Shape.of(tensor.dims())));
        value.sparseInitializer = tensor;
        return value;
    }

    public String name() {
        return name;
    }

    /**
     * Renames the value. Uses refer to the object, so they follow, and the initializer index of
     * the graph holding it is updated; {@code validate()} checks that names stay unique.
     *
     * @throws IrException if the value is an initializer and its graph has another initializer named {@code newName}
     */
    public void rename(String newName) {
        Objects.requireNonNull(newName, "newName");
        if (initializerOf != null) {
            initializerOf.rekeyInitializer(this, newName);
        }
        this.name = newName;
        modification.mark();
    }

    /** The type, or {@code null} when unknown. */
    public ValueType type() {
        return type;
    }

    public void setType(ValueType newType) {
        this.type = newType;
        modification.mark();
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String newDocString) {
        this.docString = Objects.requireNonNull(newDocString);
        modification.mark();
    }

    /** Free-form key/value metadata, in insertion order; mutable. */
    public Map<String, String> metadataProps() {
        return metadataProps;
    }

    /** Fields of the value's ONNX {@code ValueInfoProto} that Tern keeps without interpreting. */
    public OpaqueFields opaqueFields() {
        return opaqueFields;
    }

    public void setOpaqueFields(OpaqueFields fields) {
        this.opaqueFields = Objects.requireNonNull(fields, "fields");
        modification.mark();
    }

    /** The constant of an initializer, or {@code null}. */
    public Tensor initializer() {
        return initializer;
    }

    /** Replaces the constant of an initializer value (for example after fine-tuning). */
    public void setInitializer(Tensor tensor) {
        if (initializer == null) {
            throw new IrException("value '" + name + "' is not an initializer");
        }
        this.initializer = Objects.requireNonNull(tensor);
        this.type = tensor.type();
        modification.mark();
    }

    /** The sparse constant of a sparse initializer, or {@code null}. */
    public SparseTensor sparseInitializer() {
        return sparseInitializer;
    }

    public boolean isInitializer() {
        return initializer != null || sparseInitializer != null;
    }

    /** The node that computes this value, or {@code null} for graph inputs and initializers. */
    public Node producer() {
        return producer;
    }

    /** The index of this value among its producer's outputs, or -1. */
    public int outputIndex() {
        return outputIndex;
    }

    /** Every use of this value as a node input, in the order they were made (read-only). */
    public List<Use> uses() {
        return Collections.unmodifiableList(uses);
    }

    /** The graphs that list this value among their outputs (read-only). */
    public List<Graph> graphsOutputting() {
        return Collections.unmodifiableList(outputOf);
    }

    /** Whether anything consumes this value: a node input or a graph output. */
    public boolean isUsed() {
        return !uses.isEmpty() || !outputOf.isEmpty();
    }

    /**
     * Makes every node that reads this value read {@code replacement} instead. Graph outputs
     * are left alone; use {@link Graph#setOutput} for those.
     */
    public void replaceAllUsesWith(Value replacement) {
        Objects.requireNonNull(replacement, "replacement");
        if (replacement == this) {
            return;
        }
        for (Use use : List.copyOf(uses)) {
            use.node().setInput(use.inputIndex(), replacement);
        }
    }

    @Override
    public String toString() {
        return "%" + name + (type == null ? "" : ": " + type);
    }

    // Package-private bookkeeping, called only by Node, Graph and Model.

    ModificationFlag modification() {
        return modification;
    }

    void setProducer(Node node, int index) {
        if (producer != null && node != null) {
            throw new IrException("value '" + name + "' is already produced by node "
                    + producer.describe() + "; it cannot also be an output of " + node.describe());
        }
        this.producer = node;
        this.outputIndex = node == null ? -1 : index;
    }

    void addUse(Node node, int index) {
        uses.add(new Use(node, index));
    }

    void removeUse(Node node, int index) {
        for (int i = 0; i < uses.size(); i++) {
            Use use = uses.get(i);
            if (use.node() == node && use.inputIndex() == index) {
                uses.remove(i);
                return;
            }
        }
        throw new IllegalStateException("use list of '" + name + "' lacks " + node.describe() + " input " + index);
    }

    /** The graph whose initializers include this value, or {@code null}. */
    Graph initializerOf() {
        return initializerOf;
    }

    void setInitializerOf(Graph graph) {
        this.initializerOf = graph;
    }

    void addOutputOf(Graph graph) {
        outputOf.add(graph);
    }

    void removeOutputOf(Graph graph) {
        outputOf.remove(graph);
    }
}
