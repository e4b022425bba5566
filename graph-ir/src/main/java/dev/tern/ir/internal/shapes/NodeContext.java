package dev.tern.ir.internal.shapes;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;

import java.util.List;

/**
 * What a rule sees of one node: its inputs' types and, for small integer inputs, their
 * contents; its attributes; the opset version it runs under. Outputs are set through here so
 * the engine can merge them with declared types.
 */
final class NodeContext {
    private final InferenceEngine engine;
    private final Node node;
    private final long opset;

    NodeContext(InferenceEngine engine, Node node, long opset) {
        this.engine = engine;
        this.node = node;
        this.opset = opset;
    }

    Node node() {
        return node;
    }

    /** The opset version of the node's domain that the model imports. */
    long opset() {
        return opset;
    }

    InferenceEngine engine() {
        return engine;
    }

    // ---- inputs

    int inputCount() {
        return node.inputs().size();
    }

    /** Whether input {@code index} is given (not past the end, not omitted). */
    boolean hasInput(int index) {
        return index < node.inputs().size() && node.input(index) != null;
    }

    /** The type of input {@code index}, or {@code null} when it is absent or untyped. */
    ValueType inputType(int index) {
        return hasInput(index) ? node.input(index).type() : null;
    }

    /** The element type of tensor input {@code index}, or {@code null} when not known. */
    ElementType elementType(int index) {
        return inputType(index) instanceof ValueType.TensorType tensor ? tensor.elementType() : null;
    }

    /** The shape of tensor input {@code index}; unknown rank when not known. */
    Shape shape(int index) {
        return inputType(index) instanceof ValueType.TensorType tensor ? tensor.shape() : Shape.unknownRank();
    }

    /** The rank of input {@code index}, or -1 when not known. */
    int rank(int index) {
        Shape shape = shape(index);
        return shape.isRankKnown() ? shape.rank() : -1;
    }

    /** The elements of a small integer input of rank 0 or 1 whose contents are followed, or {@code null}. */
    List<IntElement> contents(int index) {
        return hasInput(index) ? engine.contents(node.input(index)) : null;
    }

    /** The elements of a small integer input when every one is a number, or {@code null}. */
    long[] longs(int index) {
        return numbers(contents(index));
    }

    /** The value of input {@code index} when it is a constant (initializer or Constant output), or {@code null}. */
    Tensor constant(int index) {
        return hasInput(index) ? engine.constant(node.input(index)) : null;
    }

    /** The elements of a small numeric constant input as doubles, or {@code null}. */
    double[] doubles(int index) {
        Tensor tensor = constant(index);
        return tensor == null ? null : TensorValues.doubles(tensor);
    }

    static long[] numbers(List<IntElement> elements) {
        if (elements == null) {
            return null;
        }
        long[] numbers = new long[elements.size()];
        for (int i = 0; i < numbers.length; i++) {
            if (!elements.get(i).isNumber()) {
                return null;
            }
            numbers[i] = elements.get(i).number();
        }
        return numbers;
    }

    // ---- attributes

    boolean hasAttribute(String name) {
        return node.attribute(name).filter(a -> !a.isReference()).isPresent();
    }

    long intAttr(String name, long fallback) {
        return hasAttribute(name) ? node.attribute(name).get().asInt() : fallback;
    }

    float floatAttr(String name, float fallback) {
        return hasAttribute(name) ? node.attribute(name).get().asFloat() : fallback;
    }

    /** An INTS attribute, or {@code null} when absent. */
    long[] intsAttr(String name) {
        return hasAttribute(name) ? node.attribute(name).get().asInts() : null;
    }

    String stringAttr(String name, String fallback) {
        return hasAttribute(name) ? node.attribute(name).get().asString() : fallback;
    }

    /** A GRAPH attribute, or {@code null} when absent. */
    Graph graphAttr(String name) {
        return hasAttribute(name) ? node.attribute(name).get().asGraph() : null;
    }

    Attribute attribute(String name) {
        return hasAttribute(name) ? node.attribute(name).get() : null;
    }

    // ---- outputs

    int outputCount() {
        return node.outputs().size();
    }

    boolean hasOutput(int index) {
        return index < node.outputs().size() && node.output(index) != null;
    }

    /** Sets output {@code index} to a tensor type; does nothing when the element type is not known or the output is absent. */
    void setOutput(int index, ElementType elementType, Shape shape) {
        if (elementType != null) {
            setOutput(index, ValueType.tensor(elementType, shape));
        }
    }

    /** Sets output {@code index} to a tensor type with {@code dims}. */
    void setOutput(int index, ElementType elementType, List<Dim> dims) {
        setOutput(index, elementType, Shape.of(dims));
    }

    /** Sets output {@code index}; does nothing when {@code type} is {@code null} or the output is absent. */
    void setOutput(int index, ValueType type) {
        if (type != null && hasOutput(index)) {
            engine.assign(node, node.output(index), type);
        }
    }

    /** Records the elements of output {@code index}, a small integer tensor of rank 0 or 1. */
    void setContents(int index, List<IntElement> elements) {
        if (elements != null && hasOutput(index)) {
            engine.setContents(node.output(index), elements);
        }
    }

    /** A conflict to throw: the inputs are not valid for this op. */
    ShapeConflict conflict(String message) {
        return new ShapeConflict(message);
    }

    /** The shape of input {@code index}, which the op needs to have rank at least {@code minimum}; unknown rank passes. */
    Shape shapeWithRank(int index, int minimum) {
        Shape shape = shape(index);
        if (shape.isRankKnown() && shape.rank() < minimum) {
            throw conflict("input " + index + " has rank " + shape.rank() + ", needs at least " + minimum);
        }
        return shape;
    }

    /** Value named in messages. */
    Value input(int index) {
        return node.input(index);
    }
}
