package dev.tern.server.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

/**
 * A protobuf message as the JSON Triton's HTTP endpoints write for the same message (model
 * configuration, statistics): fields under their proto names, every scalar and repeated field
 * present even at its default, message fields and members of a oneof only when set, maps with
 * string keys as objects, enums by name and 64-bit integers as JSON numbers rather than
 * protobuf's canonical strings. Covers the messages these endpoints answer with, which hold no
 * bytes or floating-point fields.
 */
final class ProtoJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ProtoJson() {
    }

    static ObjectNode of(Message message) {
        ObjectNode json = NODES.objectNode();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (field.isMapField()) {
                json.set(field.getName(), map(field, message));
            } else if (field.isRepeated()) {
                ArrayNode array = json.putArray(field.getName());
                for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
                    array.add(value(field, message.getRepeatedField(field, i)));
                }
            } else if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE && field.getContainingOneof() == null
                    || message.hasField(field)) {
                json.set(field.getName(), value(field, message.getField(field)));
            }
        }
        return json;
    }

    /** A map field, whose entries are messages of a key and a value field. */
    private static ObjectNode map(FieldDescriptor field, Message message) {
        ObjectNode json = NODES.objectNode();
        FieldDescriptor key = field.getMessageType().findFieldByName("key");
        FieldDescriptor value = field.getMessageType().findFieldByName("value");
        for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
            Message entry = (Message) message.getRepeatedField(field, i);
            json.set(entry.getField(key).toString(), value(value, entry.getField(value)));
        }
        return json;
    }

    private static JsonNode value(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case MESSAGE -> of((Message) value);
            case ENUM -> NODES.textNode(((EnumValueDescriptor) value).getName());
            case STRING -> NODES.textNode((String) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case INT -> NODES.numberNode(unsigned(field)
                    ? Integer.toUnsignedLong((Integer) value) : (long) (Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            default -> throw new IllegalArgumentException(field.getFullName() + ": a " + field.getJavaType()
                    + " field, which Triton's JSON for this message never holds");
        };
    }

    private static boolean unsigned(FieldDescriptor field) {
        return field.getType() == FieldDescriptor.Type.UINT32 || field.getType() == FieldDescriptor.Type.FIXED32;
    }
}
