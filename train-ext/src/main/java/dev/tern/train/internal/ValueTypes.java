package dev.tern.train.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.AutodiffException;

import java.util.List;
import java.util.Optional;

/**
 * What gradient rules may ask of a value's static type: element type, rank and dimensions.
 * Values carry these after shape inference or when their producer set them; a rule that needs
 * one that is missing fails here, naming the value.
 */
final class ValueTypes {
    private ValueTypes() {
    }

    static ElementType elementType(Value value) {
        return tensorType(value, "element type").elementType();
    }

    static int rank(Value value) {
        return dims(value).size();
    }

    static List<Dim> dims(Value value) {
        ValueType.TensorType type = tensorType(value, "rank");
        if (!type.shape().isRankKnown()) {
            throw missing(value, "rank");
        }
        return type.shape().dims();
    }

    /** The size of dimension {@code axis} (negative counts from the end), or -1 when not a known size. */
    static long size(Value value, int axis) {
        List<Dim> dims = dims(value);
        Dim dim = dims.get(axis < 0 ? axis + dims.size() : axis);
        return dim instanceof Dim.Known known ? known.size() : -1;
    }

    /** The sizes of dimensions {@code fromAxis} onwards, when the rank and all those sizes are known. */
    static Optional<long[]> knownSizes(Value value, int fromAxis) {
        if (!(value.type() instanceof ValueType.TensorType type) || !type.shape().isRankKnown()) {
            return Optional.empty();
        }
        List<Dim> dims = type.shape().dims();
        long[] sizes = new long[Math.max(0, dims.size() - fromAxis)];
        for (int axis = fromAxis; axis < dims.size(); axis++) {
            if (!(dims.get(axis) instanceof Dim.Known known)) {
                return Optional.empty();
            }
            sizes[axis - fromAxis] = known.size();
        }
        return Optional.of(sizes);
    }

    /** A known size of dimension {@code axis}, for rules that must build static attributes from it. */
    static long requireSize(Value value, int axis, String why) {
        long size = size(value, axis);
        if (size < 0) {
            throw new AutodiffException("value '" + value.name() + "': dimension " + axis
                    + " must have a known size " + why + ", found " + dims(value).get(axis < 0 ? axis + rank(value) : axis));
        }
        return size;
    }

    /** Whether the value's type is known to be a floating-point tensor. */
    static boolean isKnownFloating(Value value) {
        return value.type() instanceof ValueType.TensorType tensor && isFloating(tensor.elementType());
    }

    /** Whether the value's type is known and is not a floating-point tensor, so it carries no gradient. */
    static boolean isKnownNonFloating(Value value) {
        if (value.type() == null) {
            return false;
        }
        return !(value.type() instanceof ValueType.TensorType tensor) || !isFloating(tensor.elementType());
    }

    static boolean isFloating(ElementType type) {
        return type.isFloatingPoint();
    }

    /** Normalizes a possibly negative axis against {@code rank}. */
    static int axis(long axis, int rank) {
        return (int) (axis < 0 ? axis + rank : axis);
    }

    private static ValueType.TensorType tensorType(Value value, String what) {
        if (value.type() instanceof ValueType.TensorType tensor) {
            return tensor;
        }
        throw missing(value, what);
    }

    private static AutodiffException missing(Value value, String what) {
        String producer = value.producer() == null ? "" : " (output of node " + value.producer().describe() + ")";
        return new AutodiffException("value '" + value.name() + "'" + producer + ": its " + what
                + " is needed to build gradients but its type is "
                + (value.type() == null ? "unknown" : value.type().toString())
                + "; run shape inference or set the value's type");
    }
}
