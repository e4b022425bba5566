package dev.tern.ir.internal.shapes;

import dev.tern.ir.ElementType;

import java.util.ArrayList;
import java.util.List;

/**
 * Followed contents through Cast. Exporters cast shapes between int64 and int32 and, to compute
 * with them, to float and back ({@code Cast(Cast(Shape(x), to=float), to=int64)}); ONNX's own
 * data propagation copies them through Cast as well. An element survives when the target type
 * holds it exactly; anything else (a wrapped integer, a rounded float) becomes unknown.
 */
final class CastContents {
    /**
     * Symbolic dimensions are taken to be at most 2^24 (16M), so one survives a round trip through
     * float as the exporters that write it assume; a type that cannot hold every such size loses it.
     */
    private static final long LARGEST_SIZE = 1L << 24;

    private CastContents() {
    }

    /**
     * The contents a Cast from {@code from} to {@code to} produces, or {@code null} when either
     * type is one contents are not followed in (bool, string, the 8- and 4-bit float formats).
     */
    static List<IntElement> cast(List<IntElement> contents, ElementType from, ElementType to) {
        if (contents == null || largestExact(from) < 0 || largestExact(to) < 0) {
            return null;
        }
        List<IntElement> cast = new ArrayList<>(contents.size());
        for (IntElement element : contents) {
            cast.add(holds(to, element) ? element : IntElement.UNKNOWN);
        }
        return cast;
    }

    private static boolean holds(ElementType type, IntElement element) {
        if (!element.isNumber()) {
            return largestExact(type) >= LARGEST_SIZE;
        }
        long number = element.number();
        return number <= largestExact(type) && number >= smallestExact(type);
    }

    /** The largest integer up to which {@code type} holds every integer, or -1 when contents are not followed in it. */
    private static long largestExact(ElementType type) {
        return switch (type) {
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 0xff;
            case INT16 -> Short.MAX_VALUE;
            case UINT16 -> 0xffff;
            case INT32 -> Integer.MAX_VALUE;
            case UINT32 -> 0xffffffffL;
            case INT64, UINT64 -> Long.MAX_VALUE;
            case BFLOAT16 -> 1L << 8;
            case FLOAT16 -> 1L << 11;
            case FLOAT -> 1L << 24;
            case DOUBLE -> 1L << 53;
            default -> -1;
        };
    }

    private static long smallestExact(ElementType type) {
        return switch (type) {
            case UINT8, UINT16, UINT32, UINT64 -> 0;
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> -largestExact(type);
        };
    }
}
