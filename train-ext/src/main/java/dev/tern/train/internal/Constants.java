package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.Optional;
import java.util.OptionalDouble;

/** Reads values fixed when the graph is built: initializers and outputs of Constant nodes. */
final class Constants {
    private Constants() {
    }

    /** The integer elements of {@code value} if it is a constant int64 or int32 tensor. */
    static Optional<long[]> integers(Value value) {
        if (value == null) {
            return Optional.empty();
        }
        return tensor(value).flatMap(Constants::asLongs);
    }

    /** The value of {@code value} if it is a constant float or double tensor of one element. */
    static OptionalDouble realScalar(Value value) {
        Optional<Tensor> tensor = tensor(value);
        if (tensor.isEmpty() || tensor.get().elementCount() != 1) {
            return OptionalDouble.empty();
        }
        return switch (tensor.get().elementType()) {
            case FLOAT -> OptionalDouble.of(tensor.get().toFloatArray()[0]);
            case DOUBLE -> OptionalDouble.of(tensor.get().toDoubleArray()[0]);
            default -> OptionalDouble.empty();
        };
    }

    static Optional<Tensor> tensor(Value value) {
        if (value.initializer() != null) {
            return Optional.of(value.initializer());
        }
        Node producer = value.producer();
        if (producer != null && producer.opType().equals("Constant") && producer.domain().isEmpty()) {
            return producer.attribute("value").filter(a -> !a.isReference()).map(Attribute::asTensor);
        }
        return Optional.empty();
    }

    private static Optional<long[]> asLongs(Tensor tensor) {
        if (tensor.elementType() == ElementType.INT64) {
            return Optional.of(tensor.toLongArray());
        }
        if (tensor.elementType() == ElementType.INT32) {
            int[] ints = tensor.toIntArray();
            long[] longs = new long[ints.length];
            for (int i = 0; i < ints.length; i++) {
                longs[i] = ints[i];
            }
            return Optional.of(longs);
        }
        return Optional.empty();
    }
}
