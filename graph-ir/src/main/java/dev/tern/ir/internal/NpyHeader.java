package dev.tern.ir.internal;

import dev.tern.ir.NpyFormatException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header dictionary of a {@code .npy} file, a Python literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}, parsed strictly:
 * exactly those three keys, strings in single or double quotes, integers with an optional
 * Python 2 {@code L} suffix.
 */
public record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    /**
     * Parses the header text.
     *
     * @throws NpyFormatException naming {@code source} if it is not such a dictionary
     */
    public static NpyHeader parse(String text, String source) {
        return new Parser(text, source).header();
    }

    /** The dictionary as numpy writes it, without padding or newline. */
    public String format() {
        StringBuilder out = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
                .append(fortranOrder ? "True" : "False").append(", 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            out.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        // numpy writes a one-element tuple as "(3,)".
        return out.append(shape.length == 1 ? ",), }" : "), }").toString();
    }

    /** A recursive-descent reader of the few Python literal forms a header may hold. */
    private static final class Parser {
        private final String text;
        private final String source;
        private int pos;

        Parser(String text, String source) {
            this.text = text;
            this.source = source;
        }

        NpyHeader header() {
            Map<String, Object> entries = new LinkedHashMap<>();
            expect('{');
            while (peek() != '}') {
                String key = string();
                expect(':');
                Object value = value(key);
                if (entries.put(key, value) != null) {
                    throw error("key '" + key + "' appears twice");
                }
                if (peek() != ',') {
                    break;
                }
                pos++;
            }
            expect('}');
            if (peek() != 0) {
                throw error("unexpected text after the dictionary");
            }
            if (!entries.keySet().equals(KEYS)) {
                throw error("header keys are " + entries.keySet() + ", expected exactly " + List.of("descr", "fortran_order", "shape"));
            }
            if (!(entries.get("descr") instanceof String descr)) {
                throw error("'descr' must be a dtype string; structured dtypes are not supported");
            }
            if (!(entries.get("fortran_order") instanceof Boolean fortran)) {
                throw error("'fortran_order' must be True or False");
            }
            if (!(entries.get("shape") instanceof long[] shape)) {
                throw error("'shape' must be a tuple of integers");
            }
            return new NpyHeader(descr, fortran, shape);
        }

        private Object value(String key) {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '[') {
                throw error("'" + key + "' is a list; structured dtypes are not supported");
            }
            throw error("cannot read the value of '" + key + "'");
        }

        private long[] tuple() {
            expect('(');
            List<Long> values = new ArrayList<>();
            while (peek() != ')') {
                values.add(integer());
                if (peek() != ',') {
                    break;
                }
                pos++;
            }
            expect(')');
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        private long integer() {
            peek();
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a non-negative integer in 'shape'");
            }
            long value;
            try {
                value = Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException e) {
                throw error("dimension " + text.substring(start, pos) + " does not fit a long");
            }
            if (pos < text.length() && text.charAt(pos) == 'L') {
                pos++;
            }
            return value;
        }

        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string");
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String value = text.substring(pos + 1, end);
            pos = end + 1;
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        /** The next character that is not white space, or 0 at the end. */
        private char peek() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private NpyFormatException error(String what) {
            return new NpyFormatException(source + ": malformed header at character " + pos + ": " + what
                    + " in " + abbreviate(text));
        }

        private static String abbreviate(String text) {
            String trimmed = text.strip();
            return trimmed.length() <= 200 ? trimmed : trimmed.substring(0, 200) + "...";
        }
    }
}
