package dev.tern.server.internal;

import dev.tern.exec.IoSpec;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;
import dev.tern.ir.ValueType;
import dev.tern.server.client.Datatypes;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One input or output of a model in the protocol's terms: a name, a datatype and a shape with
 * -1 for every dimension whose size is not fixed.
 *
 * @param elementType the ONNX element type, which may have no protocol name (then {@code datatype} is bracketed)
 * @param shape sizes, -1 where variable; empty and {@code rankKnown} false when even the rank is unknown
 */
public record Signature(String name, ElementType elementType, String datatype, long[] shape, boolean rankKnown) {
    /** The signature of {@code spec}, or empty for a value that is not a tensor (a sequence or a map). */
    public static Optional<Signature> of(IoSpec spec) {
        if (!(spec.type() instanceof ValueType.TensorType tensor)) {
            return Optional.empty();
        }
        Shape shape = tensor.shape();
        long[] sizes = new long[shape.isRankKnown() ? shape.rank() : 0];
        for (int axis = 0; axis < sizes.length; axis++) {
            sizes[axis] = shape.dim(axis) instanceof Dim.Known known ? known.size() : -1;
        }
        return Optional.of(new Signature(spec.name(), tensor.elementType(),
                Datatypes.describe(tensor.elementType()), sizes, shape.isRankKnown()));
    }

    /** Signatures of the tensors among {@code specs}, in order. */
    public static List<Signature> ofAll(List<IoSpec> specs) {
        return specs.stream().flatMap(spec -> of(spec).stream()).toList();
    }

    /** Whether {@code dims} fits this shape: same rank, same size wherever the size is fixed. */
    public boolean accepts(long[] dims) {
        if (!rankKnown) {
            return true;
        }
        if (dims.length != shape.length) {
            return false;
        }
        for (int axis = 0; axis < dims.length; axis++) {
            if (shape[axis] >= 0 && shape[axis] != dims[axis]) {
                return false;
            }
        }
        return true;
    }

    /** The shape as the protocol writes it, for messages. */
    public String shapeText() {
        return rankKnown ? Arrays.toString(shape) : "(any rank)";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Signature that && name.equals(that.name) && elementType == that.elementType
                && Arrays.equals(shape, that.shape) && rankKnown == that.rankKnown;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + ": " + datatype + shapeText();
    }
}
