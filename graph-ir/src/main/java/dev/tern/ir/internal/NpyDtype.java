package dev.tern.ir.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.NpyFormatException;

import java.util.Map;

/**
 * A numpy dtype string ({@code descr}) such as {@code "<f4"} or {@code "|b1"}: the element type
 * and byte order of a {@code .npy} file's data. Only the numeric dtypes that have an ONNX
 * element type are supported.
 */
public record NpyDtype(ElementType elementType, boolean bigEndian) {
    private static final Map<String, ElementType> BY_KIND_AND_SIZE = Map.ofEntries(
            Map.entry("b1", ElementType.BOOL),
            Map.entry("i1", ElementType.INT8),
            Map.entry("i2", ElementType.INT16),
            Map.entry("i4", ElementType.INT32),
            Map.entry("i8", ElementType.INT64),
            Map.entry("u1", ElementType.UINT8),
            Map.entry("u2", ElementType.UINT16),
            Map.entry("u4", ElementType.UINT32),
            Map.entry("u8", ElementType.UINT64),
            Map.entry("f2", ElementType.FLOAT16),
            Map.entry("f4", ElementType.FLOAT),
            Map.entry("f8", ElementType.DOUBLE),
            Map.entry("c8", ElementType.COMPLEX64),
            Map.entry("c16", ElementType.COMPLEX128));

    /**
     * Reads a descr string.
     *
     * @throws NpyFormatException naming {@code source} if the dtype is not a supported numeric one
     */
    public static NpyDtype parse(String descr, String source) {
        if (descr.length() < 3) {
            throw new NpyFormatException(source + ": unsupported dtype '" + descr + "'");
        }
        char order = descr.charAt(0);
        ElementType type = BY_KIND_AND_SIZE.get(descr.substring(1));
        if (type == null) {
            throw new NpyFormatException(source + ": unsupported dtype '" + descr + "'; supported: bool, int8..int64, "
                    + "uint8..uint64, float16, float32, float64, complex64, complex128 (no objects, strings, "
                    + "structured, datetime or long double)");
        }
        boolean oneByte = type.bitWidth() == 8;
        return switch (order) {
            case '<' -> new NpyDtype(type, false);
            case '>' -> new NpyDtype(type, !oneByte);
            case '|' -> {
                if (!oneByte) {
                    throw new NpyFormatException(source + ": dtype '" + descr
                            + "' says byte order does not apply ('|'), but its elements have several bytes");
                }
                yield new NpyDtype(type, false);
            }
            case '=' -> throw new NpyFormatException(source + ": dtype '" + descr
                    + "' uses the writing machine's native byte order ('='), which the file does not record");
            default -> throw new NpyFormatException(source + ": dtype '" + descr + "' has unknown byte order '"
                    + order + "' (expected '<', '>' or '|')");
        };
    }

    /**
     * The little-endian descr numpy uses for {@code type}: {@code "<f4"}, {@code "|u1"}, ...
     *
     * @throws NpyFormatException naming the tensor if numpy has no dtype for the type
     */
    public static String littleEndianDescr(ElementType type, String tensorName) {
        for (Map.Entry<String, ElementType> entry : BY_KIND_AND_SIZE.entrySet()) {
            if (entry.getValue() == type) {
                return (type.bitWidth() == 8 ? "|" : "<") + entry.getKey();
            }
        }
        throw new NpyFormatException("tensor '" + tensorName + "': element type " + type.onnxName()
                + " has no numpy dtype, so .npy cannot hold it");
    }

    /** Bytes one element takes. */
    public int itemSize() {
        return elementType.bitWidth() / 8;
    }

    /** Bytes swapped as a unit when converting byte order: a complex number swaps its two parts separately. */
    public int swapUnit() {
        boolean complex = elementType == ElementType.COMPLEX64 || elementType == ElementType.COMPLEX128;
        return complex ? itemSize() / 2 : itemSize();
    }
}
