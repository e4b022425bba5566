package dev.tern.ir.internal.shapes;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Reads the elements of small constant tensors, which shape-like inputs (Reshape's shape, Slice's starts) are. */
final class TensorValues {
    /** Larger constants are weights, not shapes; reading them would only cost time. */
    static final long MAX_ELEMENTS = 1024;

    private TensorValues() {
    }

    static boolean isInteger(ElementType type) {
        return switch (type) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> true;
            default -> false;
        };
    }

    /** The elements of a small integer tensor of rank 0 or 1, or {@code null}. */
    static List<IntElement> contents(Tensor tensor) {
        if (tensor.rank() > 1 || !isInteger(tensor.elementType())) {
            return null;
        }
        if (tensor.elementCount() > MAX_ELEMENTS) {
            return null;
        }
        ByteBuffer data = tensor.data();
        List<IntElement> elements = new ArrayList<>();
        for (int i = 0; i < tensor.elementCount(); i++) {
            // Read as longs, not through doubles: Slice's "to the end" is INT64_MAX, which a double rounds.
            elements.add(IntElement.of(tensor.elementType() == ElementType.INT64
                    ? data.getLong(i * 8) : (long) (double) read(tensor.elementType(), data, i)));
        }
        return elements;
    }

    /** The elements of a small numeric tensor as doubles (integers exactly up to 2^53), or {@code null}. */
    static double[] doubles(Tensor tensor) {
        if (tensor.elementCount() > MAX_ELEMENTS || !tensor.elementType().isFixedWidth()) {
            return null;
        }
        int count = (int) tensor.elementCount();
        ByteBuffer data = tensor.data();
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            Double value = read(tensor.elementType(), data, i);
            if (value == null) {
                return null;
            }
            values[i] = value;
        }
        return values;
    }

    private static Double read(ElementType type, ByteBuffer data, int index) {
        return switch (type) {
            case FLOAT -> (double) data.getFloat(index * 4);
            case DOUBLE -> data.getDouble(index * 8);
            case INT8 -> (double) data.get(index);
            case UINT8, BOOL -> (double) (data.get(index) & 0xff);
            case INT16 -> (double) data.getShort(index * 2);
            case UINT16 -> (double) (data.getShort(index * 2) & 0xffff);
            case INT32 -> (double) data.getInt(index * 4);
            case UINT32 -> (double) (data.getInt(index * 4) & 0xffffffffL);
            case INT64, UINT64 -> (double) data.getLong(index * 8);
            default -> null;
        };
    }
}
