package dev.tern.onnx;

import dev.tern.ir.SparseTensor;
import dev.tern.ir.Tensor;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A value as the ONNX backend test suite stores it in {@code input_N.pb} / {@code output_N.pb}
 * files: a tensor, a sparse tensor, a sequence, a map or an optional. Read with
 * {@link OnnxImporter#readValue}.
 */
public sealed interface TestData
        permits TestData.TensorData, TestData.SparseTensorData, TestData.SequenceData, TestData.MapData,
                TestData.OptionalData {

    /** A dense tensor ({@code TensorProto}). */
    record TensorData(Tensor tensor) implements TestData {
        public TensorData {
            Objects.requireNonNull(tensor, "tensor");
        }
    }

    /** A sparse tensor ({@code SparseTensorProto}). */
    record SparseTensorData(SparseTensor tensor) implements TestData {
        public SparseTensorData {
            Objects.requireNonNull(tensor, "tensor");
        }
    }

    /** A sequence ({@code SequenceProto}) of elements of one kind. */
    record SequenceData(List<TestData> elements) implements TestData {
        public SequenceData {
            elements = List.copyOf(elements);
        }
    }

    /**
     * A map ({@code MapProto}): {@code keys} is a 1-D tensor of the key element type (an
     * integer type or STRING) whose element i is the key of {@code values.get(i)}.
     */
    record MapData(Tensor keys, List<TestData> values) implements TestData {
        public MapData {
            Objects.requireNonNull(keys, "keys");
            values = List.copyOf(values);
        }
    }

    /** An optional ({@code OptionalProto}): empty, or holding one value. */
    record OptionalData(Optional<TestData> value) implements TestData {
        public OptionalData {
            Objects.requireNonNull(value, "value");
        }
    }
}
