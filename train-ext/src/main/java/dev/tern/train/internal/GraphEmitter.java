package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.AutodiffException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes new default-domain nodes and constants into a graph under fresh names: appended at
 * the end, or, while {@link #insertBefore} holds an anchor, just before that node (so an
 * expansion keeps the node order topological).
 */
final class GraphEmitter {
    private final Graph graph;
    private final Set<String> usedNames = new HashSet<>();
    private final Map<String, Value> constants = new HashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private Node anchor;

    GraphEmitter(Graph graph) {
        this.graph = graph;
        claimExistingNames(graph);
    }

    Graph graph() {
        return graph;
    }

    /** Emits new nodes just before {@code node} until {@link #append()} is called. */
    void insertBefore(Node node) {
        this.anchor = node;
    }

    /** Emits new nodes at the end of the graph again. */
    void append() {
        this.anchor = null;
    }

    /** A node with one output. */
    Value op(String opType, List<Attribute> attributes, Value... inputs) {
        return ops(opType, 1, attributes, inputs).get(0);
    }

    /** A node with no attributes and one output. */
    Value op(String opType, Value... inputs) {
        return op(opType, List.of(), inputs);
    }

    /** A node with {@code outputCount} outputs. */
    List<Value> ops(String opType, int outputCount, List<Attribute> attributes, Value... inputs) {
        String nodeName = fresh(opType);
        List<Value> outputs = new ArrayList<>(outputCount);
        for (int i = 0; i < outputCount; i++) {
            outputs.add(new Value(outputCount == 1 ? nodeName : fresh(nodeName)));
        }
        Node node = new Node(Node.DEFAULT_DOMAIN, opType, Arrays.asList(inputs), outputs, attributes);
        node.setName(nodeName);
        if (anchor == null) {
            graph.appendNode(node);
        } else {
            graph.insertBefore(anchor, node);
        }
        return outputs;
    }

    /** A rank-0 constant of a floating-point element type, shared by every request for the same value. */
    Value scalar(double value, ElementType elementType) {
        String key = elementType + ":" + Double.toString(value);
        Value cached = constants.get(key);
        if (cached != null) {
            return cached;
        }
        Tensor tensor = switch (elementType) {
            case DOUBLE -> Tensor.ofDoubles("", new long[0], value);
            case FLOAT -> Tensor.ofFloats("", new long[0], (float) value);
            default -> throw unsupportedConstant(elementType);
        };
        Value constant = initializer(tensor);
        constants.put(key, constant);
        return constant;
    }

    /** A constant of {@code dims} with every element {@code value}, of a floating-point element type. */
    Value filled(double value, ElementType elementType, long... dims) {
        int count = Math.toIntExact(Arrays.stream(dims).reduce(1, Math::multiplyExact));
        double[] values = new double[count];
        Arrays.fill(values, value);
        return floats(elementType, dims, values);
    }

    /** A constant of {@code dims} holding {@code values}, of a floating-point element type. */
    Value floats(ElementType elementType, long[] dims, double... values) {
        Tensor tensor = switch (elementType) {
            case DOUBLE -> Tensor.ofDoubles("", dims, values);
            case FLOAT -> {
                float[] narrowed = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    narrowed[i] = (float) values[i];
                }
                yield Tensor.ofFloats("", dims, narrowed);
            }
            default -> throw unsupportedConstant(elementType);
        };
        return initializer(tensor);
    }

    /** A constant int64 vector (axes, shapes, split sizes), shared like {@link #scalar}. */
    Value int64s(long... values) {
        String key = "int64:" + Arrays.toString(values);
        Value cached = constants.get(key);
        if (cached != null) {
            return cached;
        }
        Value constant = initializer(Tensor.ofLongs("", new long[] {values.length}, values));
        constants.put(key, constant);
        return constant;
    }

    /** A rank-0 int64 constant. */
    Value int64Scalar(long value) {
        String key = "int64-scalar:" + value;
        Value cached = constants.get(key);
        if (cached != null) {
            return cached;
        }
        Value constant = initializer(Tensor.ofLongs("", new long[0], value));
        constants.put(key, constant);
        return constant;
    }

    /** A fresh name starting with {@code base}, unused anywhere in the graph. */
    String fresh(String base) {
        if (usedNames.add(base)) {
            return base;
        }
        int next = counters.getOrDefault(base, 0);
        String candidate = base + "_" + next;
        while (!usedNames.add(candidate)) {
            next++;
            candidate = base + "_" + next;
        }
        counters.put(base, next + 1);
        return candidate;
    }

    private static AutodiffException unsupportedConstant(ElementType elementType) {
        return new AutodiffException("gradient constants of element type " + elementType
                + " are not supported; only FLOAT and DOUBLE");
    }

    private Value initializer(Tensor tensor) {
        String name = fresh("grad_const");
        Value value = Value.constant(name, tensor.withName(name));
        graph.addInitializer(value);
        return value;
    }

    private void claimExistingNames(Graph scope) {
        for (Value input : scope.inputs()) {
            usedNames.add(input.name());
        }
        usedNames.addAll(scope.initializers().keySet());
        for (Node node : scope.nodes()) {
            usedNames.add(node.name());
            for (Value output : node.outputs()) {
                if (output != null) {
                    usedNames.add(output.name());
                }
            }
            node.subgraphs().forEach(this::claimExistingNames);
        }
    }

    /**
     * Gives {@code gradient} the type of {@code value}, the value it is the gradient of, when
     * that is a known floating-point type. The gradient of a quantized (integer) value is
     * real, so it is left for shape inference to type.
     */
    static void typeGradientLike(Value gradient, Value value) {
        if (ValueTypes.isKnownFloating(value)) {
            typeLike(gradient, value);
        }
    }

    /** Gives {@code value} the tensor type of {@code like}, when that is known and {@code value} has none. */
    static void typeLike(Value value, Value like) {
        if (value.type() == null && like.type() instanceof ValueType.TensorType) {
            value.setType(like.type());
        }
    }
}
