package dev.tern.ir;

import dev.tern.ir.internal.UniqueNames;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a {@link Graph} (and a {@link Model} around it) in Java code, the way tests and
 * higher modules make models:
 *
 * <pre>{@code
 * GraphBuilder g = GraphBuilder.create("mlp");
 * Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(64));
 * Value w = g.initializer(Tensor.zeros("w", ElementType.FLOAT, 64, 128));
 * Value h = g.op("MatMul", x, w);
 * Value y = g.node("LeakyRelu").inputs(h).attr("alpha", 0.1f).output();
 * g.output(y, "y");
 * Model model = g.toModel(21);
 * }</pre>
 *
 * <p>Names are unique across the graph and all its subgraphs, so no subgraph can shadow an
 * outer name: names given explicitly are checked, and unnamed nodes and values get fresh
 * names ({@code MatMul_0}). Every value passed in must be defined by this builder or, for a
 * subgraph builder from {@link #subgraph}, by an enclosing one. Misuse throws
 * {@link IrException} at once, naming the graph and the value. A builder is single-use: after
 * {@link #build()} or {@link #toModel} it refuses further changes. Not thread-safe.
 */
public final class GraphBuilder {
    private final Graph graph;
    private final GraphBuilder parent;
    private final UniqueNames valueNames;
    private final UniqueNames nodeNames;
    private final Set<Value> defined = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Long> extraOpsets = new LinkedHashMap<>();
    private boolean built;

    private GraphBuilder(String name, GraphBuilder parent, UniqueNames valueNames, UniqueNames nodeNames) {
        this.graph = new Graph(name);
        this.parent = parent;
        this.valueNames = valueNames;
        this.nodeNames = nodeNames;
    }

    /** A builder for a top-level graph named {@code graphName}. */
    public static GraphBuilder create(String graphName) {
        Objects.requireNonNull(graphName, "graphName");
        return new GraphBuilder(graphName, null, new UniqueNames(), new UniqueNames());
    }

    /**
     * A builder for a subgraph (an If branch, a Loop or Scan body) whose nodes may read values
     * this builder and its enclosing builders have defined so far. Pass its {@link #build()}
     * result as a GRAPH attribute of a node of this builder.
     */
    public GraphBuilder subgraph(String graphName) {
        requireOpen();
        Objects.requireNonNull(graphName, "graphName");
        return new GraphBuilder(graphName, this, valueNames, nodeNames);
    }

    /**
     * Adds a tensor input of {@code elementType} with {@code dims} (known, symbolic or unknown).
     *
     * @throws IrException if the name is already used
     */
    public Value input(String name, ElementType elementType, Dim... dims) {
        return input(name, ValueType.tensor(elementType, Shape.of(dims)));
    }

    /**
     * Adds an input of any type (sequence, map, optional, ...).
     *
     * @throws IrException if the name is already used
     */
    public Value input(String name, ValueType type) {
        requireOpen();
        Objects.requireNonNull(type, "type");
        Value value = new Value(claimValueName(name), type);
        graph.addInput(value);
        defined.add(value);
        return value;
    }

    /**
     * Adds an initializer under the tensor's own name.
     *
     * @throws IrException if the tensor has no name or the name is already used
     */
    public Value initializer(Tensor tensor) {
        if (tensor.name().isEmpty()) {
            throw new IrException("graph '" + graph.name() + "': an initializer needs a name; "
                    + "the tensor has none, use initializer(name, tensor)");
        }
        return initializer(tensor.name(), tensor);
    }

    /**
     * Adds an initializer named {@code name} holding {@code tensor} (renamed to match).
     *
     * @throws IrException if the name is already used
     */
    public Value initializer(String name, Tensor tensor) {
        requireOpen();
        Objects.requireNonNull(tensor, "tensor");
        String claimed = claimValueName(name);
        Value value = graph.addInitializer(tensor.withName(claimed));
        defined.add(value);
        return value;
    }

    /**
     * Adds a node of the default domain with one output and returns that output.
     *
     * @throws IrException if an input is not visible from this graph
     */
    public Value op(String opType, Value... inputs) {
        return node(opType).inputs(inputs).output();
    }

    /** Starts a node: set its domain, name, inputs and attributes, then add it with {@code output(...)}/{@code outputs(...)}. */
    public NodeBuilder node(String opType) {
        requireOpen();
        Objects.requireNonNull(opType, "opType");
        if (opType.isEmpty()) {
            throw new IrException("graph '" + graph.name() + "': a node needs a non-empty op type");
        }
        return new NodeBuilder(this, opType);
    }

    /**
     * Makes {@code value} a graph output under its current name.
     *
     * @throws IrException if the value is not visible from this graph
     */
    public void output(Value value) {
        requireOpen();
        requireVisible(value, "output " + graph.outputs().size());
        graph.addOutput(value);
    }

    /**
     * Makes {@code value} a graph output named {@code name}. A value computed by a node of
     * this graph is renamed; any other one (an input, an initializer, an outer value, or a
     * value already output under another name) is passed through an Identity node.
     *
     * @throws IrException if the value is not visible or the name is already used
     */
    public void output(Value value, String name) {
        requireOpen();
        Objects.requireNonNull(name, "name");
        requireVisible(value, "output '" + name + "'");
        if (value.name().equals(name)) {
            graph.addOutput(value);
            return;
        }
        boolean computedHere = value.producer() != null && value.producer().graph() == graph;
        if (computedHere && value.graphsOutputting().isEmpty()) {
            value.rename(claimValueName(name));
            graph.addOutput(value);
        } else {
            graph.addOutput(node("Identity").inputs(value).output(name));
        }
    }

    /**
     * Declares that the model imports {@code domain} at {@code version}; the default domain's
     * version is given to {@link #toModel}.
     *
     * @throws IrException on a subgraph builder (opsets belong to the model) or a version below 1
     */
    public GraphBuilder opset(String domain, long version) {
        requireOpen();
        if (parent != null) {
            throw new IrException("graph '" + graph.name() + "' is a subgraph; declare opsets on the top-level builder");
        }
        if (version < 1) {
            throw new IrException("opset version for domain '" + domain + "' must be >= 1, found " + version);
        }
        extraOpsets.put(Objects.requireNonNull(domain, "domain"), version);
        return this;
    }

    /**
     * Finishes the graph. A top-level graph is validated; a subgraph is validated with the
     * model, once a node holds it.
     *
     * @throws ValidationException if the top-level graph is invalid
     * @throws IrException if the builder was already built
     */
    public Graph build() {
        requireOpen();
        built = true;
        if (parent == null) {
            graph.validate();
        }
        return graph;
    }

    /**
     * Finishes the graph and wraps it in a model importing the default domain at
     * {@code defaultOpsetVersion} plus every domain given to {@link #opset}.
     *
     * @throws ValidationException if the model is invalid (for example a node's domain is not imported)
     * @throws IrException on a subgraph builder or if the builder was already built
     */
    public Model toModel(long defaultOpsetVersion) {
        requireOpen();
        if (parent != null) {
            throw new IrException("graph '" + graph.name() + "' is a subgraph; only the top-level builder makes a model");
        }
        if (defaultOpsetVersion < 1) {
            throw new IrException("default opset version must be >= 1, found " + defaultOpsetVersion);
        }
        built = true;
        Model model = new Model(graph);
        model.opsetImports().put("", defaultOpsetVersion);
        model.opsetImports().putAll(extraOpsets);
        model.validate();
        return model;
    }

    // ---- used by NodeBuilder

    Graph graph() {
        return graph;
    }

    String claimValueName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IrException("graph '" + graph.name() + "': a value name must not be empty");
        }
        if (!valueNames.claim(name)) {
            throw new IrException("graph '" + graph.name() + "': value name '" + name
                    + "' is already used in this graph or an enclosing or sibling one");
        }
        return name;
    }

    /** {@code preferred} if no value has that name yet, else a fresh {@code preferred_N}. */
    String preferredValueName(String preferred) {
        return valueNames.preferred(preferred);
    }

    String freshValueName(String base) {
        return valueNames.fresh(base);
    }

    String claimNodeName(String name) {
        if (!nodeNames.claim(name)) {
            throw new IrException("graph '" + graph.name() + "': node name '" + name + "' is already used");
        }
        return name;
    }

    String freshNodeName(String opType) {
        return nodeNames.fresh(opType);
    }

    void requireVisible(Value value, String role) {
        Objects.requireNonNull(value, role);
        for (GraphBuilder scope = this; scope != null; scope = scope.parent) {
            if (scope.defined.contains(value)) {
                return;
            }
        }
        throw new IrException("graph '" + graph.name() + "': " + role + " '" + value.name()
                + "' is not defined in this graph or an enclosing one");
    }

    void add(Node node) {
        requireOpen();
        graph.appendNode(node);
        for (Value output : node.outputs()) {
            if (output != null) {
                defined.add(output);
            }
        }
    }

    void requireOpen() {
        if (built) {
            throw new IrException("graph builder '" + graph.name() + "' was already built");
        }
    }
}
