package dev.tern.onnx.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.tern.ir.OpaqueFields;

/**
 * Moves the fields Tern's IR does not interpret between protobuf messages and
 * {@link OpaqueFields}. Reading, they are the message's unknown fields (a newer schema's) plus,
 * for a few messages, known fields the IR has no model of; writing, they are merged back into
 * the message being built. protobuf-java writes known fields in field-number order and unknown
 * ones after them, so a model written, read and written again gives the same bytes.
 */
final class OpaqueFieldCodec {
    private OpaqueFieldCodec() {
    }

    /** The unknown fields of {@code proto}. */
    static OpaqueFields unknownFieldsOf(Message proto) {
        return OpaqueFields.of(proto.getUnknownFields().toByteArray());
    }

    /** Every field of {@code residue}, a message built to hold only the fields the IR does not interpret. */
    static OpaqueFields fieldsOf(Message residue) {
        return OpaqueFields.of(residue.toByteArray());
    }

    /**
     * Merges {@code fields} into {@code builder}.
     *
     * @throws dev.tern.onnx.ModelFormatException naming {@code where} if the bytes are not
     *     fields of the builder's message (opaque fields set by hand can be anything)
     */
    static <B extends Message.Builder> B restore(B builder, OpaqueFields fields, Where where) {
        if (fields.isEmpty()) {
            return builder;
        }
        try {
            builder.mergeFrom(fields.bytes());
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw where.fail("opaque fields are not valid " + builder.getDescriptorForType().getName()
                    + " fields: " + e.getMessage(), e);
        }
    }
}
