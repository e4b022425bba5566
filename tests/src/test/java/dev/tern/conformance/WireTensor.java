package dev.tern.conformance;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one {@code TensorProto} with {@link WireReader}, following onnx.proto: {@code dims}
 * (field 1), {@code data_type} (2), {@code name} (8), and the elements in {@code raw_data} (9,
 * little-endian) or, for strings, {@code string_data} (6). Those are the fields the backend
 * test data use; a file with another way of storing elements (typed fields, segments,
 * external data) is refused rather than guessed at.
 */
final class WireTensor {
    private final List<Long> dims = new ArrayList<>();
    private final List<byte[]> strings = new ArrayList<>();
    private int dataType;
    private String name = "";
    private byte[] raw;

    private WireTensor() {
    }

    /** Reads the {@code TensorProto} under {@code reader}. */
    static Tensor read(WireReader reader) {
        WireTensor tensor = new WireTensor();
        while (reader.next()) {
            tensor.readField(reader);
        }
        return tensor.toTensor(reader);
    }

    private void readField(WireReader reader) {
        switch (reader.field()) {
            case 1 -> dims.add(reader.readVarint());
            case 2 -> dataType = (int) reader.readVarint();
            case 6 -> strings.add(reader.readBytes());
            case 8 -> name = new String(reader.readBytes(), StandardCharsets.UTF_8);
            case 9 -> raw = reader.readBytes();
            case 3, 4, 5, 7, 10, 11, 13, 14 -> throw reader.malformed("field " + reader.field()
                    + " (typed data, segment or external data) is not read independently; only raw_data and"
                    + " string_data are");
            default -> reader.skip();
        }
    }

    private Tensor toTensor(WireReader reader) {
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        ElementType type = ElementType.fromOnnxCode(dataType);
        if (type == ElementType.STRING) {
            return Tensor.ofStrings(name, shape, strings);
        }
        // Tensor.of checks that the bytes hold exactly the elements the shape calls for.
        return Tensor.of(name, type, shape, ByteBuffer.wrap(raw == null ? new byte[0] : raw));
    }
}
