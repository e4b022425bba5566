package dev.tern.onnx.internal;

import dev.tern.ir.ElementType;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Turns the typed repeated fields of a {@code TensorProto} (used when {@code raw_data} is
 * absent) into the packed little-endian bytes a {@link dev.tern.ir.Tensor} holds, following
 * the specification's packing rules:
 * <ul>
 *   <li>FLOAT in {@code float_data}; COMPLEX64 as two floats per element, real first;</li>
 *   <li>DOUBLE in {@code double_data}; COMPLEX128 as two doubles per element;</li>
 *   <li>INT64 in {@code int64_data}; UINT32 and UINT64 in {@code uint64_data};</li>
 *   <li>every other fixed-width type in {@code int32_data}: one entry per element holding its
 *       bit pattern in the low bits (16-bit floats included), except for the 4- and 2-bit
 *       types, whose entries each hold one already packed byte.</li>
 * </ul>
 * The entry count is checked against the dimensions before the buffer is allocated.
 */
final class TypedFieldDecoder {
    private TypedFieldDecoder() {
    }

    static ByteBuffer decode(TensorProto proto, ElementType type, long elementCount, long byteSize,
                             long[] dims, Where where) {
        return switch (type) {
            case FLOAT -> floats(proto, elementCount, byteSize, dims, type, where);
            case COMPLEX64 -> floats(proto, 2 * elementCount, byteSize, dims, type, where);
            case DOUBLE -> doubles(proto, elementCount, byteSize, dims, type, where);
            case COMPLEX128 -> doubles(proto, 2 * elementCount, byteSize, dims, type, where);
            case INT64 -> int64s(proto, elementCount, byteSize, dims, type, where);
            case UINT32, UINT64 -> uint64s(proto, elementCount, byteSize, dims, type, where);
            default -> int32s(proto, type, elementCount, byteSize, dims, where);
        };
    }

    private static ByteBuffer floats(TensorProto proto, long entries, long byteSize, long[] dims,
                                     ElementType type, Where where) {
        checkCount("float_data", proto.getFloatDataCount(), entries, dims, type, where);
        ByteBuffer out = allocate(byteSize);
        for (int i = 0; i < proto.getFloatDataCount(); i++) {
            out.putFloat(proto.getFloatData(i));
        }
        return out.flip();
    }

    private static ByteBuffer doubles(TensorProto proto, long entries, long byteSize, long[] dims,
                                      ElementType type, Where where) {
        checkCount("double_data", proto.getDoubleDataCount(), entries, dims, type, where);
        ByteBuffer out = allocate(byteSize);
        for (int i = 0; i < proto.getDoubleDataCount(); i++) {
            out.putDouble(proto.getDoubleData(i));
        }
        return out.flip();
    }

    private static ByteBuffer int64s(TensorProto proto, long entries, long byteSize, long[] dims,
                                     ElementType type, Where where) {
        checkCount("int64_data", proto.getInt64DataCount(), entries, dims, type, where);
        ByteBuffer out = allocate(byteSize);
        for (int i = 0; i < proto.getInt64DataCount(); i++) {
            out.putLong(proto.getInt64Data(i));
        }
        return out.flip();
    }

    private static ByteBuffer uint64s(TensorProto proto, long entries, long byteSize, long[] dims,
                                      ElementType type, Where where) {
        checkCount("uint64_data", proto.getUint64DataCount(), entries, dims, type, where);
        ByteBuffer out = allocate(byteSize);
        for (int i = 0; i < proto.getUint64DataCount(); i++) {
            long value = proto.getUint64Data(i);
            if (type == ElementType.UINT32) {
                out.putInt((int) value);
            } else {
                out.putLong(value);
            }
        }
        return out.flip();
    }

    private static ByteBuffer int32s(TensorProto proto, ElementType type, long elementCount, long byteSize,
                                     long[] dims, Where where) {
        int bits = type.bitWidth();
        // Sub-byte types store one packed byte per entry; wider types one element per entry.
        long entries = bits < 8 ? byteSize : elementCount;
        checkCount("int32_data", proto.getInt32DataCount(), entries, dims, type, where);
        ByteBuffer out = allocate(byteSize);
        for (int i = 0; i < proto.getInt32DataCount(); i++) {
            int value = proto.getInt32Data(i);
            switch (bits) {
                case 32 -> out.putInt(value);
                case 16 -> out.putShort((short) value);
                default -> out.put((byte) value);
            }
        }
        return out.flip();
    }

    private static void checkCount(String field, int found, long expected, long[] dims, ElementType type,
                                   Where where) {
        if (found == expected) {
            return;
        }
        if (found == 0) {
            throw where.fail("holds no data: neither raw_data nor " + field + " is set, and dims "
                    + Arrays.toString(dims) + " of " + type + " need " + expected + " " + field + " entries");
        }
        throw where.fail(field + " has " + found + " entries, dims " + Arrays.toString(dims) + " of " + type
                + " need " + expected);
    }

    private static ByteBuffer allocate(long byteSize) {
        // byteSize was checked to fit an int and matches entries already parsed, so this is bounded.
        return ByteBuffer.allocateDirect((int) byteSize).order(ByteOrder.LITTLE_ENDIAN);
    }
}
