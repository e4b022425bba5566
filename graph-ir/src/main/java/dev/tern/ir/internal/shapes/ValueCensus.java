package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts a graph's values (its subgraphs' included) and finds the node outputs and graph inputs
 * whose type inference left incomplete: without a type, or with a shape of unknown rank or with
 * an unknown dimension. A symbolic dimension ({@code batch}) is known: it names a size.
 */
final class ValueCensus {
    private final List<Value> untyped = new ArrayList<>();
    private final List<Value> withUnknownDims = new ArrayList<>();
    private int valueCount;

    private ValueCensus() {
    }

    static ValueCensus of(Graph main) {
        ValueCensus census = new ValueCensus();
        census.visit(main);
        return census;
    }

    /** Values without a type, in graph order. */
    List<Value> untyped() {
        return untyped;
    }

    /** Values with a type in which some shape has unknown rank or an unknown dimension, in graph order. */
    List<Value> withUnknownDims() {
        return withUnknownDims;
    }

    /** Graph inputs, initializers and node outputs. */
    int valueCount() {
        return valueCount;
    }

    /**
     * Whether a tensor shape in {@code type} (its own, or that of a sequence's or an optional's
     * element or a map's value) has unknown rank or an unknown dimension.
     */
    static boolean hasUnknownDim(ValueType type) {
        if (type instanceof ValueType.TensorType tensor) {
            return hasUnknownDim(tensor.shape());
        }
        if (type instanceof ValueType.SparseTensorType sparse) {
            return hasUnknownDim(sparse.shape());
        }
        if (type instanceof ValueType.SequenceType sequence) {
            return hasUnknownDim(sequence.elementType());
        }
        if (type instanceof ValueType.OptionalType optional) {
            return hasUnknownDim(optional.elementType());
        }
        return hasUnknownDim(((ValueType.MapType) type).valueType());
    }

    private static boolean hasUnknownDim(Shape shape) {
        return !shape.isRankKnown() || shape.dims().stream().anyMatch(dim -> dim instanceof Dim.Unknown);
    }

    private void visit(Graph graph) {
        for (Value input : graph.inputs()) {
            if (!input.isInitializer()) {
                count(input);
            }
        }
        valueCount += graph.initializers().size();
        for (Node node : graph.nodes()) {
            node.subgraphs().forEach(this::visit);
            for (Value output : node.outputs()) {
                if (output != null) {
                    count(output);
                }
            }
        }
    }

    private void count(Value value) {
        valueCount++;
        if (value.type() == null) {
            untyped.add(value);
        } else if (hasUnknownDim(value.type())) {
            withUnknownDims.add(value);
        }
    }
}
