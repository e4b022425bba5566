package dev.tern.ir;

import java.util.Objects;

/**
 * The type of a {@link Value}: a dense tensor, a sparse tensor, a sequence, a map or an
 * optional, nested as ONNX allows.
 *
 * <p>Each type may carry a denotation, ONNX's note on what the value means ("IMAGE", "TEXT",
 * ...). A denotation annotates a type without changing it, so {@code equals} ignores it: a
 * declared {@code tensor(float)} denoted "IMAGE" is the same type as the one inference finds.
 */
public sealed interface ValueType
        permits ValueType.TensorType, ValueType.SparseTensorType, ValueType.SequenceType,
                ValueType.MapType, ValueType.OptionalType {

    /** The type's denotation, or "" when it has none. */
    String denotation();

    /** The same type with another denotation ("" for none). */
    ValueType withDenotation(String newDenotation);

    /** A dense tensor of one element type. The shape may be {@link Shape#unknownRank()}. */
    record TensorType(ElementType elementType, Shape shape, String denotation) implements ValueType {
        public TensorType {
            Objects.requireNonNull(elementType, "elementType");
            Objects.requireNonNull(shape, "shape");
            Objects.requireNonNull(denotation, "denotation");
        }

        public TensorType(ElementType elementType, Shape shape) {
            this(elementType, shape, "");
        }

        @Override
        public TensorType withDenotation(String newDenotation) {
            return new TensorType(elementType, shape, newDenotation);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TensorType other && elementType == other.elementType && shape.equals(other.shape);
        }

        @Override
        public int hashCode() {
            return Objects.hash(elementType, shape);
        }

        @Override
        public String toString() {
            return "tensor(" + elementType.onnxName() + ")" + shape;
        }
    }

    /** A sparse tensor (COO). */
    record SparseTensorType(ElementType elementType, Shape shape, String denotation) implements ValueType {
        public SparseTensorType {
            Objects.requireNonNull(elementType, "elementType");
            Objects.requireNonNull(shape, "shape");
            Objects.requireNonNull(denotation, "denotation");
        }

        public SparseTensorType(ElementType elementType, Shape shape) {
            this(elementType, shape, "");
        }

        @Override
        public SparseTensorType withDenotation(String newDenotation) {
            return new SparseTensorType(elementType, shape, newDenotation);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SparseTensorType other && elementType == other.elementType
                    && shape.equals(other.shape);
        }

        @Override
        public int hashCode() {
            return Objects.hash(elementType, shape);
        }

        @Override
        public String toString() {
            return "sparse_tensor(" + elementType.onnxName() + ")" + shape;
        }
    }

    /** A sequence of values that all have {@code elementType}. */
    record SequenceType(ValueType elementType, String denotation) implements ValueType {
        public SequenceType {
            Objects.requireNonNull(elementType, "elementType");
            Objects.requireNonNull(denotation, "denotation");
        }

        public SequenceType(ValueType elementType) {
            this(elementType, "");
        }

        @Override
        public SequenceType withDenotation(String newDenotation) {
            return new SequenceType(elementType, newDenotation);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SequenceType other && elementType.equals(other.elementType);
        }

        @Override
        public int hashCode() {
            return elementType.hashCode();
        }

        @Override
        public String toString() {
            return "seq(" + elementType + ")";
        }
    }

    /** A map from a scalar key type (integers or string) to values. */
    record MapType(ElementType keyType, ValueType valueType, String denotation) implements ValueType {
        public MapType {
            Objects.requireNonNull(keyType, "keyType");
            Objects.requireNonNull(valueType, "valueType");
            Objects.requireNonNull(denotation, "denotation");
        }

        public MapType(ElementType keyType, ValueType valueType) {
            this(keyType, valueType, "");
        }

        @Override
        public MapType withDenotation(String newDenotation) {
            return new MapType(keyType, valueType, newDenotation);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MapType other && keyType == other.keyType && valueType.equals(other.valueType);
        }

        @Override
        public int hashCode() {
            return Objects.hash(keyType, valueType);
        }

        @Override
        public String toString() {
            return "map(" + keyType.onnxName() + "," + valueType + ")";
        }
    }

    /** A value that may be absent. */
    record OptionalType(ValueType elementType, String denotation) implements ValueType {
        public OptionalType {
            Objects.requireNonNull(elementType, "elementType");
            Objects.requireNonNull(denotation, "denotation");
        }

        public OptionalType(ValueType elementType) {
            this(elementType, "");
        }

        @Override
        public OptionalType withDenotation(String newDenotation) {
            return new OptionalType(elementType, newDenotation);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OptionalType other && elementType.equals(other.elementType);
        }

        @Override
        public int hashCode() {
            return elementType.hashCode();
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
