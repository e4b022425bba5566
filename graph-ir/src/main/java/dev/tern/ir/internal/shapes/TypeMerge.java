package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.Shape;
import dev.tern.ir.ValueType;

import java.util.ArrayList;
import java.util.List;

/**
 * Combines a declared type with an inferred one: the declared type stands, and inference only
 * sharpens it (an unknown rank gets the inferred dims, an unknown or symbolic dimension gets an
 * inferred known size, an unknown one an inferred symbol). Differing element types, ranks or
 * known sizes are a contradiction.
 */
final class TypeMerge {
    private TypeMerge() {
    }

    /** The merged type, or {@code null} when the two contradict each other. */
    static ValueType merge(ValueType declared, ValueType inferred) {
        if (declared instanceof ValueType.TensorType d && inferred instanceof ValueType.TensorType i) {
            if (d.elementType() != i.elementType()) {
                return null;
            }
            Shape shape = mergeShapes(d.shape(), i.shape());
            return shape == null ? null : ValueType.tensor(d.elementType(), shape);
        }
        if (declared instanceof ValueType.SequenceType d && inferred instanceof ValueType.SequenceType i) {
            ValueType element = merge(d.elementType(), i.elementType());
            return element == null ? null : new ValueType.SequenceType(element);
        }
        if (declared instanceof ValueType.OptionalType d && inferred instanceof ValueType.OptionalType i) {
            ValueType element = merge(d.elementType(), i.elementType());
            return element == null ? null : new ValueType.OptionalType(element);
        }
        return declared.getClass() == inferred.getClass() ? declared : null;
    }

    private static Shape mergeShapes(Shape declared, Shape inferred) {
        if (!declared.isRankKnown()) {
            return inferred;
        }
        if (!inferred.isRankKnown()) {
            return declared;
        }
        if (declared.rank() != inferred.rank()) {
            return null;
        }
        List<Dim> dims = new ArrayList<>(declared.rank());
        for (int axis = 0; axis < declared.rank(); axis++) {
            Dim d = declared.dim(axis);
            Dim i = inferred.dim(axis);
            if (!Dims.compatible(d, i)) {
                return null;
            }
            dims.add(d instanceof Dim.Unknown || i.isKnown() ? i : d);
        }
        return Shape.of(dims);
    }

    /**
     * A type that holds for values of either type (If branches, a Loop's state before and after
     * an iteration): equal dims stay, others become unknown; {@code null} if the element types
     * or kinds differ.
     */
    static ValueType generalize(ValueType a, ValueType b) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof ValueType.TensorType ta && b instanceof ValueType.TensorType tb) {
            if (ta.elementType() != tb.elementType()) {
                return null;
            }
            return ValueType.tensor(ta.elementType(), generalize(ta.shape(), tb.shape()));
        }
        if (a instanceof ValueType.SequenceType sa && b instanceof ValueType.SequenceType sb) {
            ValueType element = generalize(sa.elementType(), sb.elementType());
            return element == null ? null : new ValueType.SequenceType(element);
        }
        if (a instanceof ValueType.OptionalType oa && b instanceof ValueType.OptionalType ob) {
            ValueType element = generalize(oa.elementType(), ob.elementType());
            return element == null ? null : new ValueType.OptionalType(element);
        }
        return a.equals(b) ? a : null;
    }

    static Shape generalize(Shape a, Shape b) {
        if (!a.isRankKnown() || !b.isRankKnown() || a.rank() != b.rank()) {
            return Shape.unknownRank();
        }
        List<Dim> dims = new ArrayList<>(a.rank());
        for (int axis = 0; axis < a.rank(); axis++) {
            dims.add(Dims.generalize(a.dim(axis), b.dim(axis)));
        }
        return Shape.of(dims);
    }
}
