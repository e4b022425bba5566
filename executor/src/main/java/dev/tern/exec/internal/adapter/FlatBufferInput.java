package dev.tern.exec.internal.adapter;

import dev.tern.exec.AdapterFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads flatbuffers tables from a buffer that may be truncated or hostile: every offset and
 * length is checked against the buffer before it is followed. (The flatbuffers Java library
 * has no verifier; its accessors would read past a bad offset or loop on a cyclic one.)
 * Positions are absolute indexes into the buffer.
 */
final class FlatBufferInput {
    private final ByteBuffer buffer;
    private final String source;

    /** Reads {@code bytes} from its position to its limit; the buffer is not copied. */
    FlatBufferInput(ByteBuffer bytes, String source) {
        this.buffer = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
    }

    int size() {
        return buffer.limit();
    }

    /** The four identifier bytes after the root offset, as text. */
    String identifier() {
        require(0, 8, "the root offset and file identifier");
        byte[] identifier = new byte[4];
        buffer.get(4, identifier);
        return new String(identifier, StandardCharsets.ISO_8859_1);
    }

    /** The root table's position. */
    int root() {
        return target(0, "the root table");
    }

    /** The position of {@code slot}'s value in {@code table}, or -1 if the field is absent. */
    int field(int table, int slot) {
        require(table, 4, "a table");
        long vtable = (long) table - buffer.getInt(table);
        if (vtable < 0 || vtable + 4 > size()) {
            throw error("table at byte " + table + " points to a vtable outside the file (byte " + vtable + ")");
        }
        int vtableSize = Short.toUnsignedInt(buffer.getShort((int) vtable));
        int entry = 4 + 2 * slot;
        if (entry + 2 > vtableSize) {
            return -1;
        }
        require((int) vtable, vtableSize, "a vtable");
        int offset = Short.toUnsignedInt(buffer.getShort((int) vtable + entry));
        return offset == 0 ? -1 : table + offset;
    }

    int intField(int table, int slot, int defaultValue) {
        int at = field(table, slot);
        if (at < 0) {
            return defaultValue;
        }
        require(at, 4, "an int field");
        return buffer.getInt(at);
    }

    /** Where the offset stored at {@code at} points. */
    int target(int at, String what) {
        require(at, 4, "the offset of " + what);
        long target = at + Integer.toUnsignedLong(buffer.getInt(at));
        if (target >= size()) {
            throw error(what + " at byte " + at + " points outside the file (byte " + target + " of " + size() + ")");
        }
        return (int) target;
    }

    /** The element count of the vector at {@code vector}, checked to fit the file. */
    int vectorLength(int vector, int elementSize, String what) {
        require(vector, 4, "the length of " + what);
        long length = Integer.toUnsignedLong(buffer.getInt(vector));
        require(vector + 4, length * elementSize, what);
        return (int) length;
    }

    long longAt(int at) {
        return buffer.getLong(at);
    }

    /** A view of {@code length} bytes from {@code at}, sharing the file's memory. */
    ByteBuffer slice(int at, int length) {
        require(at, length, "a byte range");
        return buffer.slice(at, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    String string(int at, String what) {
        int length = vectorLength(at, 1, what);
        byte[] bytes = new byte[length];
        buffer.get(at + 4, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    AdapterFormatException error(String message) {
        return new AdapterFormatException(source + ": " + message);
    }

    private void require(int at, long length, String what) {
        if (at < 0 || length < 0 || at + length > size()) {
            throw error(what + " (" + length + " bytes at byte " + at + ") runs past the end of the file ("
                    + size() + " bytes)");
        }
    }
}
