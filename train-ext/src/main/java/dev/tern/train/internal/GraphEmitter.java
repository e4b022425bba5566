package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.AutodiffException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes new default-domain nodes and typed constants into a graph through a {@link GraphEditor},
 * which names them and places them: appended at the end, or, while {@link #insertBefore} holds
 * an anchor, just before that node (so an expansion keeps the node order topological). Equal
 * scalar and int64 constants are made once and shared.
 */
final class GraphEmitter {
    private final GraphEditor editor;
    private final Map<String, Value> constants = new HashMap<>();

    GraphEmitter(Graph graph) {
        this.editor = GraphEditor.of(graph);
    }

    Graph graph() {
        return editor.graph();
    }

    /** The editor underneath, for the rewiring and removal the emitter does not wrap. */
    GraphEditor editor() {
        return editor;
    }

    /** Emits new nodes just before {@code node} until {@link #append()} is called. */
    void insertBefore(Node node) {
        editor.insertBefore(node);
    }

    /** Emits new nodes at the end of the graph again. */
    void append() {
        editor.append();
    }

    /**
     * Swaps a composite {@code node} for the values an expansion computed in its place, one per
     * output the composite may have ({@code null} for one nothing reads); they take over the
     * outputs' names, and the node is removed. Outputs the node omits at the end are dropped
     * from {@code computed}.
     */
    void replace(Node node, List<Value> computed) {
        editor.replaceNode(node, computed.subList(0, node.outputs().size()));
    }

    /** Adds {@code node}, built with names from {@link #fresh}, at the insertion point; see {@link GraphEditor#addNode(Node)}. */
    Node add(Node node) {
        return editor.addNode(node);
    }

    /** Turns initializer {@code name} into a graph input of the same name and type; see {@link GraphEditor#promoteInitializerToInput}. */
    Value promoteToInput(String name) {
        return editor.promoteInitializerToInput(name);
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
        return editor.addNode(opType, Arrays.asList(inputs), outputCount, attributes).outputs();
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

    /** {@code base} if no node or value of the graph has that name, else a fresh {@code base_N}. */
    String fresh(String base) {
        return editor.freshName(base);
    }

    /** Takes {@code name} for a value the caller adds under exactly that name; see {@link GraphEditor#claimName}. */
    boolean claim(String name) {
        return editor.claimName(name);
    }

    private static AutodiffException unsupportedConstant(ElementType elementType) {
        return new AutodiffException("gradient constants of element type " + elementType
                + " are not supported; only FLOAT and DOUBLE");
    }

    private Value initializer(Tensor tensor) {
        return editor.addInitializer("grad_const", tensor);
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
