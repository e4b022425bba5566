package dev.tern.server.internal.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.tern.ir.ElementType;
import dev.tern.server.Status;
import dev.tern.server.client.Datatypes;
import dev.tern.server.client.RawTensors;
import dev.tern.server.internal.Shapes;
import dev.tern.server.proto.InferTensorContents;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tensor elements in JSON: a request's {@code data} array (flat or nested row-major) read
 * into typed contents, and raw output bytes written back as a flat array.
 */
final class JsonTensorData {
    private JsonTensorData() {
    }

    /**
     * The elements of {@code data} in the repeated field {@code datatype} uses. Checked here, so
     * that a REST client's errors name its own field, {@code data}, never the protocol buffer's.
     *
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT for an unknown datatype, one JSON
     *     cannot carry (FP16, BF16), as many elements as {@code shape} does not hold, or an
     *     element of the wrong JSON type or outside the datatype's range
     */
    static InferTensorContents contents(JsonNode data, String datatype, long[] shape, String what) {
        if (data == null || !data.isArray()) {
            throw JsonInferRequest.invalid(what + ": 'data' must be an array");
        }
        ElementType type = Datatypes.elementType(datatype).orElseThrow(() -> JsonInferRequest.invalid(what
                + " has unknown datatype '" + datatype + "'"));
        List<JsonNode> elements = new ArrayList<>();
        flatten(data, elements);
        long count = Shapes.elementCount(shape, what);
        if (elements.size() != count) {
            throw JsonInferRequest.invalid(what + " has " + count + " elements by its shape "
                    + Arrays.toString(shape) + ", but its 'data' holds " + elements.size());
        }
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (int i = 0; i < elements.size(); i++) {
            add(contents, type, datatype, elements.get(i), what, i);
        }
        return contents.build();
    }

    private static void flatten(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node);
        }
    }

    private static void add(InferTensorContents.Builder contents, ElementType type, String datatype, JsonNode value,
                            String what, int index) {
        switch (type) {
            case BOOL -> contents.addBoolContents(requireKind(value.isBoolean(), value, "a boolean", datatype, what,
                    index).booleanValue());
            case INT8, INT16, INT32 -> contents.addIntContents(Math.toIntExact(integer(value, datatype, what, index,
                    Integer.MIN_VALUE, Integer.MAX_VALUE)));
            case INT64 -> contents.addInt64Contents(integer(value, datatype, what, index, Long.MIN_VALUE,
                    Long.MAX_VALUE));
            case UINT8, UINT16, UINT32 -> contents.addUintContents((int) integer(value, datatype, what, index, 0,
                    0xFFFF_FFFFL));
            case UINT64 -> contents.addUint64Contents(unsigned64(value, datatype, what, index));
            case FLOAT -> contents.addFp32Contents(fp32(value, datatype, what, index));
            case DOUBLE -> contents.addFp64Contents(finite(value, number(value, datatype, what, index), datatype,
                    what, index));
            case STRING -> contents.addBytesContents(JsonInferRequest.utf8(requireKind(value.isTextual(), value,
                    "a string", datatype, what, index).textValue()));
            default -> throw JsonInferRequest.invalid(what + " has datatype " + datatype
                    + ", which JSON cannot carry; send it as binary data (binary_data_size)");
        }
    }

    private static long integer(JsonNode value, String datatype, String what, int index, long min, long max) {
        requireKind(value.isIntegralNumber() && value.canConvertToLong(), value, "an integer", datatype, what, index);
        long v = value.longValue();
        if (v < min || v > max) {
            throw JsonInferRequest.invalid(what + ": element " + index + " is " + v + ", outside " + datatype
                    + "'s range");
        }
        return v;
    }

    private static long unsigned64(JsonNode value, String datatype, String what, int index) {
        requireKind(value.isIntegralNumber() && value.bigIntegerValue().signum() >= 0
                && value.bigIntegerValue().bitLength() <= 64, value, "an integer in [0, 2^64)", datatype, what, index);
        return value.bigIntegerValue().longValue();
    }

    private static double number(JsonNode value, String datatype, String what, int index) {
        return requireKind(value.isNumber(), value, "a number", datatype, what, index).doubleValue();
    }

    /** The nearest float, unless the value is too large for one. */
    private static float fp32(JsonNode value, String datatype, String what, int index) {
        return (float) finite(value, (float) number(value, datatype, what, index), datatype, what, index);
    }

    /** {@code converted}, unless converting made it infinite (which a model turns into NaN answers). */
    private static double finite(JsonNode value, double converted, String datatype, String what, int index) {
        if (Double.isInfinite(converted)) {
            throw JsonInferRequest.invalid(what + ": element " + index + " is " + value.asText() + ", beyond " + datatype
                    + "'s largest finite value");
        }
        return converted;
    }

    private static JsonNode requireKind(boolean ok, JsonNode value, String kind, String datatype, String what,
                                        int index) {
        if (!ok) {
            throw JsonInferRequest.invalid(what + " (" + datatype + "): element " + index + " is " + value
                    + ", not " + kind);
        }
        return value;
    }

    /**
     * Writes the elements of raw tensor data as a flat JSON array.
     *
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT for a datatype JSON cannot carry
     */
    static void write(JsonGenerator json, String datatype, ByteString raw, long count, String what) throws IOException {
        ElementType type = Datatypes.elementType(datatype).orElseThrow();
        if (type == ElementType.STRING) {
            json.writeStartArray();
            for (byte[] element : RawTensors.decodeStrings(raw, count, what)) {
                json.writeString(new String(element, StandardCharsets.UTF_8));
            }
            json.writeEndArray();
            return;
        }
        ByteBuffer in = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        json.writeStartArray();
        for (long i = 0; i < count; i++) {
            switch (type) {
                case BOOL -> json.writeBoolean(in.get() != 0);
                case INT8 -> json.writeNumber(in.get());
                case INT16 -> json.writeNumber(in.getShort());
                case INT32 -> json.writeNumber(in.getInt());
                case INT64 -> json.writeNumber(in.getLong());
                case UINT8 -> json.writeNumber(Byte.toUnsignedInt(in.get()));
                case UINT16 -> json.writeNumber(Short.toUnsignedInt(in.getShort()));
                case UINT32 -> json.writeNumber(Integer.toUnsignedLong(in.getInt()));
                case UINT64 -> json.writeNumber(new BigInteger(Long.toUnsignedString(in.getLong())));
                case FLOAT -> json.writeNumber(in.getFloat());
                case DOUBLE -> json.writeNumber(in.getDouble());
                default -> throw Status.invalidArgument(what + " has datatype " + datatype
                        + ", which JSON cannot carry; ask for it as binary data (\"binary_data\": true)").asException();
            }
        }
        json.writeEndArray();
    }
}
