package dev.tern.cli.internal;

import java.util.Collection;
import java.util.Map;

/**
 * A minimal JSON writer for the values {@code --json} output is built from: maps with string
 * keys (written in their iteration order), collections, strings, integral numbers, floating-point
 * numbers, booleans and null. A NaN or infinite double is written as {@code null}, since JSON
 * has no literal for it (as JavaScript's {@code JSON.stringify} does).
 *
 * <p>Output is compact and pure ASCII: every character outside printable ASCII is written as
 * a {@code \}{@code uXXXX} escape (surrogate pairs as two escapes), so the bytes are right
 * whatever encoding the console uses, and a lone surrogate cannot produce invalid UTF-8.
 */
final class Json {
    private Json() {
    }

    /**
     * @throws IllegalArgumentException for a value of another type or a non-string map key
     */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String string) {
            appendString(out, string);
        } else if (value instanceof Boolean bool) {
            out.append(bool.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            out.append(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            appendFloatingPoint(out, ((Number) value).doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            appendObject(out, map);
        } else if (value instanceof Collection<?> collection) {
            appendArray(out, collection);
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void appendFloatingPoint(StringBuilder out, double value) {
        if (Double.isFinite(value)) {
            // Double.toString gives the shortest decimal that reads back as the same double,
            // in a form JSON accepts ("0.25", "1.0E-5").
            out.append(value);
        } else {
            out.append("null");
        }
    }

    private static void appendObject(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON object keys must be strings, found " + entry.getKey());
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            appendString(out, key);
            out.append(':');
            append(out, entry.getValue());
        }
        out.append('}');
    }

    private static void appendArray(StringBuilder out, Collection<?> collection) {
        out.append('[');
        boolean first = true;
        for (Object element : collection) {
            if (!first) {
                out.append(',');
            }
            first = false;
            append(out, element);
        }
        out.append(']');
    }

    private static void appendString(StringBuilder out, String string) {
        out.append('"');
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        out.append('"');
    }
}
