package dev.tern.ir;

import java.util.Arrays;
import java.util.Objects;

/**
 * Fields of an ONNX message that the IR has no model of, kept verbatim: the serialized
 * (protobuf wire format) fields of the message an IR object was read from that Tern does not
 * interpret. They are the fields of a schema newer than Tern knows, and the multi-device
 * annotations of IR version 11 ({@code NodeProto.device_configurations},
 * {@code ModelProto.configuration}). The importer fills them in; the exporter writes them back
 * unchanged, so such fields survive a round trip. Nothing in Tern looks inside. Immutable.
 */
public final class OpaqueFields {
    /** No fields. */
    public static final OpaqueFields NONE = new OpaqueFields(new byte[0]);

    private final byte[] bytes;

    private OpaqueFields(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Fields serialized as {@code bytes}, which are copied; {@link #NONE} when empty. */
    public static OpaqueFields of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return bytes.length == 0 ? NONE : new OpaqueFields(bytes.clone());
    }

    /** The serialized fields (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpaqueFields other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "OpaqueFields(" + bytes.length + " bytes)";
    }
}
