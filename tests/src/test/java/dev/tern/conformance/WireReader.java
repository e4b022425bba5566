package dev.tern.conformance;

import java.util.Arrays;

/**
 * Reads the protocol buffers wire format field by field, written from the format's
 * specification alone, so that {@link IndependentTestDataReader} shares no code with the
 * generated protobuf classes Tern's importer uses.
 */
final class WireReader {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final byte[] bytes;
    private final int limit;
    private final String where;
    private int position;
    private int tag;

    WireReader(byte[] bytes, String where) {
        this(bytes, 0, bytes.length, where);
    }

    private WireReader(byte[] bytes, int start, int limit, String where) {
        this.bytes = bytes;
        this.position = start;
        this.limit = limit;
        this.where = where;
    }

    /** Moves to the next field; false at the end of the message. */
    boolean next() {
        if (position >= limit) {
            return false;
        }
        tag = Math.toIntExact(readRawVarint());
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    /** The current field's value, which must be a varint (a packed array is refused). */
    long readVarint() {
        if ((tag & 7) != VARINT) {
            throw malformed("field " + field() + " has wire type " + (tag & 7) + ", expected a varint");
        }
        return readRawVarint();
    }

    private long readRawVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = readByte();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw malformed("varint longer than 10 bytes");
    }

    /** The bytes of the current field, which must be length-delimited. */
    byte[] readBytes() {
        int length = readLength();
        byte[] value = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    /** A reader over the embedded message of the current field, which must be length-delimited. */
    WireReader readEmbedded(String child) {
        int length = readLength();
        WireReader embedded = new WireReader(bytes, position, position + length, where + "." + child);
        position += length;
        return embedded;
    }

    /** Skips the current field's value. */
    void skip() {
        int length = switch (tag & 7) {
            case VARINT -> {
                readRawVarint();
                yield 0;
            }
            case FIXED64 -> 8;
            case LENGTH_DELIMITED -> readLength();
            case FIXED32 -> 4;
            default -> throw malformed("wire type " + (tag & 7) + " of field " + field());
        };
        if (length > limit - position) {
            throw malformed("field " + field() + " runs past the end");
        }
        position += length;
    }

    /** An error naming the file, the message path and the byte offset. */
    IllegalStateException malformed(String what) {
        return new IllegalStateException(where + ", byte " + position + ": " + what);
    }

    private int readLength() {
        if ((tag & 7) != LENGTH_DELIMITED) {
            throw malformed("field " + field() + " has wire type " + (tag & 7) + ", expected a length-delimited one");
        }
        long length = readRawVarint();
        if (length < 0 || length > limit - position) {
            throw malformed("length " + length + " runs past the end (" + (limit - position) + " bytes left)");
        }
        return (int) length;
    }

    private byte readByte() {
        if (position >= limit) {
            throw malformed("message ends inside a field");
        }
        return bytes[position++];
    }
}
