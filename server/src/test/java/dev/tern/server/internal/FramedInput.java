package dev.tern.server.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fuzz input that carries a few short text fields before a request body: each field is a line
 * ending in {@code \n}, read as ISO-8859-1 (as HTTP carries a path or header, byte for byte),
 * and everything after the last field is the body. An input with fewer lines has fewer fields.
 */
record FramedInput(List<String> fields, byte[] body) {
    /** Splits off at most {@code fieldCount} leading lines. */
    static FramedInput split(byte[] input, int fieldCount) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        while (fields.size() < fieldCount) {
            int end = indexOfNewline(input, start);
            if (end < 0) {
                break;
            }
            fields.add(new String(input, start, end - start, StandardCharsets.ISO_8859_1));
            start = end + 1;
        }
        return new FramedInput(fields, Arrays.copyOfRange(input, start, input.length));
    }

    /** Field {@code index}, or null when the input has fewer fields. */
    String field(int index) {
        return index < fields.size() ? fields.get(index) : null;
    }

    /** The input this splits back into: each field and a newline, then the body. */
    byte[] join() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : fields) {
            out.writeBytes((field + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static int indexOfNewline(byte[] input, int from) {
        for (int i = from; i < input.length; i++) {
            if (input[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
