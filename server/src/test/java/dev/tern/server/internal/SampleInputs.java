package dev.tern.server.internal;

import com.google.protobuf.ByteString;
import dev.tern.ir.ElementType;
import dev.tern.server.client.Datatypes;
import dev.tern.server.client.RawTensors;
import dev.tern.server.proto.InferTensorContents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Three elements of each protocol datatype in each form a client may send them: JSON
 * {@code data}, raw little-endian bytes, and the gRPC typed contents. FP16 and BF16 have no
 * JSON or typed form; only raw bytes carry them.
 */
final class SampleInputs {
    static final int COUNT = 3;
    private static final List<String> STRINGS = List.of("a", "", "π");

    private SampleInputs() {
    }

    /** The JSON array of the elements, if JSON can carry {@code datatype}. */
    static Optional<String> json(String datatype) {
        return switch (datatype) {
            case "BOOL" -> Optional.of("[true, false, true]");
            case "FP32", "FP64" -> Optional.of("[1.5, -0.0, 2e-3]");
            case "INT8", "INT16", "INT32", "INT64" -> Optional.of("[-1, 0, 127]");
            case "UINT8", "UINT16", "UINT32", "UINT64" -> Optional.of("[0, 1, 255]");
            case "BYTES" -> Optional.of("[\"a\", \"\", \"π\"]");
            default -> Optional.empty();
        };
    }

    /** The elements in raw form: fixed-width elements little-endian, BYTES elements length-prefixed. */
    static ByteString raw(String datatype) {
        ElementType type = Datatypes.elementType(datatype).orElseThrow();
        if (type == ElementType.STRING) {
            return RawTensors.encodeStrings(STRINGS.stream().map(ByteString::copyFromUtf8).toList());
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) type.byteSize(COUNT)).order(ByteOrder.LITTLE_ENDIAN);
        int width = bytes.capacity() / COUNT;
        for (int i = 0; i < COUNT; i++) {
            // 0 or 1 in the lowest byte: a valid value of every fixed-width type, booleans included.
            bytes.put(i * width, (byte) (i % 2));
        }
        return ByteString.copyFrom(bytes.array());
    }

    /** The elements in the typed field {@code datatype} uses, if it has one. */
    static Optional<InferTensorContents> contents(String datatype) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        switch (datatype) {
            case "BOOL" -> contents.addBoolContents(true).addBoolContents(false).addBoolContents(true);
            case "INT8", "INT16", "INT32" -> contents.addIntContents(-1).addIntContents(0).addIntContents(127);
            case "INT64" -> contents.addInt64Contents(-1).addInt64Contents(0).addInt64Contents(Long.MAX_VALUE);
            case "UINT8", "UINT16", "UINT32" -> contents.addUintContents(0).addUintContents(1).addUintContents(255);
            case "UINT64" -> contents.addUint64Contents(0).addUint64Contents(1).addUint64Contents(-1);
            case "FP32" -> contents.addFp32Contents(1.5f).addFp32Contents(-0f).addFp32Contents(2e-3f);
            case "FP64" -> contents.addFp64Contents(1.5).addFp64Contents(-0.0).addFp64Contents(2e-3);
            case "BYTES" -> STRINGS.forEach(s -> contents.addBytesContents(ByteString.copyFrom(s, StandardCharsets.UTF_8)));
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(contents.build());
    }
}
