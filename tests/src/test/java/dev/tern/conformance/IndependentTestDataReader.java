package dev.tern.conformance;

import dev.tern.ir.ValueType;
import dev.tern.onnx.TestData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A second reader of the backend cases' {@code .pb} files, sharing no code with Tern's
 * importer: it walks the wire format with {@link WireReader} following onnx.proto and
 * onnx-data.proto. Comparing its reading with Tern's keeps a bug in Tern's decoder from
 * passing for an ONNX Runtime problem (a wrongly decoded expected output would make ORT look
 * wrong, and the case would be skipped instead of failing). It reads what the test data
 * hold: tensors, sequences of tensors, and optionals of either; anything else is refused.
 */
final class IndependentTestDataReader {
    private IndependentTestDataReader() {
    }

    /**
     * The value in {@code file}; its bytes do not say which message they hold, so {@code type},
     * the model's type for the value, picks it, as the ONNX backend test runner does.
     *
     * @throws IllegalStateException if the file is not that message, or stores the value in a way this reader refuses
     */
    static TestData read(Path file, ValueType type) throws IOException {
        WireReader reader = new WireReader(Files.readAllBytes(file), file.getFileName().toString());
        if (type instanceof ValueType.TensorType) {
            return tensor(reader);
        }
        if (type instanceof ValueType.SequenceType) {
            return sequence(reader);
        }
        if (type instanceof ValueType.OptionalType) {
            return optional(reader);
        }
        throw reader.malformed("values of type " + type + " are not read independently");
    }

    /** SequenceProto: the elements are in tensor_values (field 3); the other element fields are refused. */
    private static TestData.SequenceData sequence(WireReader reader) {
        List<TestData> elements = new ArrayList<>();
        while (reader.next()) {
            switch (reader.field()) {
                case 3 -> elements.add(tensor(reader.readEmbedded("tensor_values")));
                case 4, 5, 6, 7 -> throw reader.malformed("sequences of anything but tensors are not read"
                        + " independently (field " + reader.field() + ")");
                default -> reader.skip();
            }
        }
        return new TestData.SequenceData(elements);
    }

    /** OptionalProto: tensor_value (field 3), sequence_value (5), or neither for an empty optional. */
    private static TestData.OptionalData optional(WireReader reader) {
        TestData value = null;
        while (reader.next()) {
            switch (reader.field()) {
                case 3 -> value = tensor(reader.readEmbedded("tensor_value"));
                case 5 -> value = sequence(reader.readEmbedded("sequence_value"));
                case 4, 6, 7 -> throw reader.malformed("optionals of anything but tensors and sequences are not"
                        + " read independently (field " + reader.field() + ")");
                default -> reader.skip();
            }
        }
        return new TestData.OptionalData(Optional.ofNullable(value));
    }

    private static TestData.TensorData tensor(WireReader reader) {
        return new TestData.TensorData(WireTensor.read(reader));
    }
}
