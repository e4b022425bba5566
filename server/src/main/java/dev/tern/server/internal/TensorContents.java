package dev.tern.server.internal;

import com.google.protobuf.ByteString;
import dev.tern.ir.ElementType;
import dev.tern.server.Status;
import dev.tern.server.client.RawTensors;
import dev.tern.server.proto.InferTensorContents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts the protocol's typed {@code contents} (one repeated field per kind of datatype) to
 * raw little-endian element bytes, the one form the rest of the server works with. Checks that
 * the field used is the one the datatype calls for, that the count matches the shape, and that
 * each value fits the datatype.
 */
public final class TensorContents {
    private TensorContents() {
    }

    /**
     * The elements of {@code contents} as raw bytes for a tensor of {@code type} with
     * {@code count} elements: fixed-width elements back to back, BYTES elements each preceded
     * by its length as a 4-byte little-endian integer.
     *
     * @param what names the tensor in messages ("input 'x'")
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT when the field, count or a value is wrong
     */
    public static ByteString toRaw(String what, String datatype, ElementType type, InferTensorContents contents,
                                   long count) {
        String expectedField = fieldFor(type, datatype, what);
        List<String> used = usedFields(contents);
        if (count > 0 && !used.equals(List.of(expectedField))) {
            throw Status.invalidArgument(what + " has datatype " + datatype + ", whose elements go in '"
                    + expectedField + "'; found " + (used.isEmpty() ? "no elements" : "'" + String.join("', '", used) + "'"))
                    .asException();
        }
        int found = count(contents, type);
        if (found != count) {
            throw Status.invalidArgument(what + " has " + count + " elements by its shape, but '" + expectedField
                    + "' holds " + found).asException();
        }
        if (type == ElementType.STRING) {
            return RawTensors.encodeStrings(contents.getBytesContentsList());
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(type.byteSize(count))).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < found; i++) {
            put(out, type, contents, i, what);
        }
        out.flip();
        return ByteString.copyFrom(out);
    }

    private static void put(ByteBuffer out, ElementType type, InferTensorContents c, int i, String what) {
        switch (type) {
            case BOOL -> out.put((byte) (c.getBoolContents(i) ? 1 : 0));
            case INT8 -> out.put((byte) inRange(c.getIntContents(i), Byte.MIN_VALUE, Byte.MAX_VALUE, "INT8", what, i));
            case INT16 -> out.putShort((short) inRange(c.getIntContents(i), Short.MIN_VALUE, Short.MAX_VALUE, "INT16",
                    what, i));
            case INT32 -> out.putInt(c.getIntContents(i));
            case INT64 -> out.putLong(c.getInt64Contents(i));
            case UINT8 -> out.put((byte) inRange(Integer.toUnsignedLong(c.getUintContents(i)), 0, 0xFF, "UINT8", what, i));
            case UINT16 -> out.putShort((short) inRange(Integer.toUnsignedLong(c.getUintContents(i)), 0, 0xFFFF, "UINT16",
                    what, i));
            case UINT32 -> out.putInt(c.getUintContents(i));
            case UINT64 -> out.putLong(c.getUint64Contents(i));
            case FLOAT -> out.putFloat(c.getFp32Contents(i));
            case DOUBLE -> out.putDouble(c.getFp64Contents(i));
            default -> throw new IllegalStateException("no typed contents for " + type);
        }
    }

    private static long inRange(long value, long min, long max, String datatype, String what, int index) {
        if (value < min || value > max) {
            throw Status.invalidArgument(what + ": element " + index + " is " + value + ", outside " + datatype
                    + "'s range [" + min + ", " + max + "]").asException();
        }
        return value;
    }

    /** The repeated field that carries elements of {@code type}. */
    private static String fieldFor(ElementType type, String datatype, String what) {
        return switch (type) {
            case BOOL -> "bool_contents";
            case INT8, INT16, INT32 -> "int_contents";
            case INT64 -> "int64_contents";
            case UINT8, UINT16, UINT32 -> "uint_contents";
            case UINT64 -> "uint64_contents";
            case FLOAT -> "fp32_contents";
            case DOUBLE -> "fp64_contents";
            case STRING -> "bytes_contents";
            default -> throw Status.invalidArgument(what + " has datatype " + datatype
                    + ", which has no typed contents; send it in raw_input_contents").asException();
        };
    }

    private static int count(InferTensorContents c, ElementType type) {
        return switch (type) {
            case BOOL -> c.getBoolContentsCount();
            case INT8, INT16, INT32 -> c.getIntContentsCount();
            case INT64 -> c.getInt64ContentsCount();
            case UINT8, UINT16, UINT32 -> c.getUintContentsCount();
            case UINT64 -> c.getUint64ContentsCount();
            case FLOAT -> c.getFp32ContentsCount();
            case DOUBLE -> c.getFp64ContentsCount();
            case STRING -> c.getBytesContentsCount();
            default -> 0;
        };
    }

    private static List<String> usedFields(InferTensorContents c) {
        List<String> used = new ArrayList<>();
        addIf(used, c.getBoolContentsCount(), "bool_contents");
        addIf(used, c.getIntContentsCount(), "int_contents");
        addIf(used, c.getInt64ContentsCount(), "int64_contents");
        addIf(used, c.getUintContentsCount(), "uint_contents");
        addIf(used, c.getUint64ContentsCount(), "uint64_contents");
        addIf(used, c.getFp32ContentsCount(), "fp32_contents");
        addIf(used, c.getFp64ContentsCount(), "fp64_contents");
        addIf(used, c.getBytesContentsCount(), "bytes_contents");
        return used;
    }

    private static void addIf(List<String> used, int count, String field) {
        if (count > 0) {
            used.add(field);
        }
    }
}
