package dev.tern.ir.internal.folding;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;

/** Reading constant tensors of the types folding computes in, and making tensors from results. */
final class Numbers {
    /** The element types arithmetic and Cast fold. */
    static final Set<ElementType> ARITHMETIC_TYPES =
            Set.of(ElementType.FLOAT, ElementType.DOUBLE, ElementType.INT32, ElementType.INT64);

    /** Results larger than this are not folded: the model would grow for little gain. */
    static final long MAX_FOLDED_ELEMENTS = 1L << 22;

    private Numbers() {
    }

    static boolean isArithmetic(ElementType type) {
        return ARITHMETIC_TYPES.contains(type);
    }

    static boolean isFloating(ElementType type) {
        return type == ElementType.FLOAT || type == ElementType.DOUBLE;
    }

    /** Elements of a FLOAT, DOUBLE, INT32 or INT64 tensor as doubles. */
    static double[] doubles(Tensor tensor) {
        int count = Math.toIntExact(tensor.elementCount());
        ByteBuffer data = tensor.data();
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = switch (tensor.elementType()) {
                case FLOAT -> data.getFloat(i * 4);
                case DOUBLE -> data.getDouble(i * 8);
                case INT32 -> data.getInt(i * 4);
                case INT64 -> data.getLong(i * 8);
                default -> throw new IllegalArgumentException("not an arithmetic type: " + tensor.elementType());
            };
        }
        return values;
    }

    /** Elements of an INT32 or INT64 tensor as longs. */
    static long[] longs(Tensor tensor) {
        return switch (tensor.elementType()) {
            case INT64 -> tensor.toLongArray();
            case INT32 -> Arrays.stream(tensor.toIntArray()).asLongStream().toArray();
            default -> throw new IllegalArgumentException("not an integer type: " + tensor.elementType());
        };
    }

    /** A tensor of a floating {@code type} from doubles, rounded once for FLOAT. */
    static Tensor fromDoubles(ElementType type, long[] dims, double[] values) {
        return switch (type) {
            case DOUBLE -> Tensor.ofDoubles("", dims, values);
            case FLOAT -> {
                float[] narrowed = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    narrowed[i] = (float) values[i];
                }
                yield Tensor.ofFloats("", dims, narrowed);
            }
            default -> throw new IllegalArgumentException("not a floating type: " + type);
        };
    }

    /** A tensor of an integer {@code type} from longs, wrapping to 32 bits for INT32 as C++ does. */
    static Tensor fromLongs(ElementType type, long[] dims, long[] values) {
        return switch (type) {
            case INT64 -> Tensor.ofLongs("", dims, values);
            case INT32 -> Tensor.ofInts("", dims, Arrays.stream(values).mapToInt(value -> (int) value).toArray());
            default -> throw new IllegalArgumentException("not an integer type: " + type);
        };
    }

    static long elementCount(long[] dims) {
        long count = 1;
        for (long dim : dims) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }
}
