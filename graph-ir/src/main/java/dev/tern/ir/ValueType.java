package dev.tern.ir;

import java.util.Objects;

/**
 * The type of a {@link Value}: a dense tensor, a sparse tensor, a sequence, a map or an
 * optional, nested as ONNX allows.
 */
public sealed interface ValueType
        permits ValueType.TensorType, ValueType.SparseTensorType, ValueType.SequenceType,
                ValueType.MapType, ValueType.OptionalType {

    /** A dense tensor of one element type. The shape may be {@link Shape#unknownRank()}. */
    record TensorType(ElementType elementType, Shape shape) implements ValueType {
        public TensorType {
            Objects.requireNonNull(elementType, "elementType");
            Objects.requireNonNull(shape, "shape");
        }

        @Override
        public String toString() {
            return "tensor(" + elementType.onnxName() + ")" + shape;
        }
    }

    /** A sparse tensor (COO). */
    record SparseTensorType(ElementType elementType, Shape shape) implements ValueType {
        public SparseTensorType {
            Objects.requireNonNull(elementType, "elementType");
            Objects.requireNonNull(shape, "shape");
        }

        @Override
        public String toString() {
            return "sparse_tensor(" + elementType.onnxName() + ")" + shape;
        }
    }

    /** A sequence of values that all have {@code elementType}. */
    record SequenceType(ValueType elementType) implements ValueType {
        public SequenceType {
            Objects.requireNonNull(elementType, "elementType");
        }

        @Override
        public String toString() {
            return "seq(" + elementType + ")";
        }
    }

    /** A map from a scalar key type (integers or string) to values. */
    record MapType(ElementType keyType, ValueType valueType) implements ValueType {
        public MapType {
            Objects.requireNonNull(keyType, "keyType");
            Objects.requireNonNull(valueType, "valueType");
        }

        @Override
        public String toString() {
            return "map(" + keyType.onnxName() + "," + valueType + ")";
        }
    }

    /** A value that may be absent. */
    record OptionalType(ValueType elementType) implements ValueType {
        public OptionalType {
            Objects.requireNonNull(elementType, "elementType");
        }

        @Override
        public String toString() {
            return "optional(" + elementType + ")";
        }
    }

    static TensorType tensor(ElementType elementType, Shape shape) {
        return new TensorType(elementType, shape);
    }

    static TensorType tensor(ElementType elementType, long... sizes) {
        return new TensorType(elementType, Shape.of(sizes));
    }
}
