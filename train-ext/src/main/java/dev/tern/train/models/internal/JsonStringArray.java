package dev.tern.train.models.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON array of strings, {@code ["setosa","versicolor"]}, written and read without a JSON
 * library: the one JSON shape Tern stores in model metadata.
 */
public final class JsonStringArray {
    private final String text;
    private int position;

    private JsonStringArray(String text) {
        this.text = text;
    }

    /** {@code strings} as a JSON array, with quotes, backslashes and control characters escaped. */
    public static String write(List<String> strings) {
        StringBuilder json = new StringBuilder("[");
        for (String string : strings) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"');
            for (int i = 0; i < string.length(); i++) {
                char c = string.charAt(i);
                if (c == '"' || c == '\\') {
                    json.append('\\').append(c);
                } else if (c < 0x20) {
                    json.append(String.format("\\u%04x", (int) c));
                } else {
                    json.append(c);
                }
            }
            json.append('"');
        }
        return json.append(']').toString();
    }

    /**
     * The strings of the JSON array {@code json}.
     *
     * @throws IllegalArgumentException naming the character position if {@code json} is not
     *     an array of strings
     */
    public static List<String> read(String json) {
        JsonStringArray parser = new JsonStringArray(json);
        List<String> strings = parser.array();
        parser.skipBlanks();
        if (parser.position != json.length()) {
            throw parser.error("text after the array");
        }
        return strings;
    }

    private List<String> array() {
        expect('[');
        List<String> strings = new ArrayList<>();
        skipBlanks();
        if (peek() == ']') {
            position++;
            return strings;
        }
        while (true) {
            skipBlanks();
            strings.add(string());
            skipBlanks();
            char next = next();
            if (next == ']') {
                return strings;
            }
            if (next != ',') {
                position--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder string = new StringBuilder();
        for (char c = next(); c != '"'; c = next()) {
            if (c != '\\') {
                string.append(c);
                continue;
            }
            char escaped = next();
            switch (escaped) {
                case '"', '\\', '/' -> string.append(escaped);
                case 'b' -> string.append('\b');
                case 'f' -> string.append('\f');
                case 'n' -> string.append('\n');
                case 'r' -> string.append('\r');
                case 't' -> string.append('\t');
                case 'u' -> string.append(unicodeEscape());
                default -> throw error("unknown escape '\\" + escaped + "'");
            }
        }
        return string.toString();
    }

    private char unicodeEscape() {
        if (position + 4 > text.length()) {
            throw error("incomplete \\u escape");
        }
        try {
            char c = (char) Integer.parseInt(text.substring(position, position + 4), 16);
            position += 4;
            return c;
        } catch (NumberFormatException e) {
            throw error("bad \\u escape");
        }
    }

    private void expect(char expected) {
        skipBlanks();
        if (peek() != expected) {
            throw error("expected '" + expected + "'");
        }
        position++;
    }

    private void skipBlanks() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private char peek() {
        if (position >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(position);
    }

    private char next() {
        char c = peek();
        position++;
        return c;
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("not a JSON array of strings at character " + position + ": " + problem);
    }
}
