package dev.tern.onnx.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;
import dev.tern.ir.ValueType;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorShapeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TypeProto;
import java.util.ArrayList;
import java.util.List;

/** Converts between {@code TypeProto} and {@link ValueType}, denotations included, in both directions. */
final class TypeCodec {
    private TypeCodec() {
    }

    /**
     * The type a {@code TypeProto} describes, or {@code null} when it sets none of its kinds
     * (ONNX allows value infos that carry only a name).
     *
     * @throws dev.tern.onnx.ModelFormatException for unknown element types or negative dimensions
     */
    static ValueType decode(TypeProto proto, Where where) {
        ValueType type = kind(proto, where);
        return type == null || proto.getDenotation().isEmpty() ? type : type.withDenotation(proto.getDenotation());
    }

    private static ValueType kind(TypeProto proto, Where where) {
        return switch (proto.getValueCase()) {
            case TENSOR_TYPE -> new ValueType.TensorType(
                    elementType(proto.getTensorType().getElemType(), "tensor_type.elem_type", where),
                    proto.getTensorType().hasShape() ? shape(proto.getTensorType().getShape(), where)
                            : Shape.unknownRank());
            case SPARSE_TENSOR_TYPE -> new ValueType.SparseTensorType(
                    elementType(proto.getSparseTensorType().getElemType(), "sparse_tensor_type.elem_type", where),
                    proto.getSparseTensorType().hasShape() ? shape(proto.getSparseTensorType().getShape(), where)
                            : Shape.unknownRank());
            case SEQUENCE_TYPE -> new ValueType.SequenceType(
                    required(proto.getSequenceType().getElemType(), "sequence_type.elem_type", where));
            case OPTIONAL_TYPE -> new ValueType.OptionalType(
                    required(proto.getOptionalType().getElemType(), "optional_type.elem_type", where));
            case MAP_TYPE -> new ValueType.MapType(
                    elementType(proto.getMapType().getKeyType(), "map_type.key_type", where),
                    required(proto.getMapType().getValueType(), "map_type.value_type", where));
            case VALUE_NOT_SET -> null;
        };
    }

    /**
     * Like {@link #decode} but a type must be there.
     *
     * @throws dev.tern.onnx.ModelFormatException naming {@code field} if the type is empty
     */
    static ValueType required(TypeProto proto, String field, Where where) {
        ValueType type = decode(proto, where.then(field));
        if (type == null) {
            throw where.fail(field + " is empty: it sets none of tensor_type, sequence_type, map_type,"
                    + " optional_type, sparse_tensor_type");
        }
        return type;
    }

    static ElementType elementType(int code, String field, Where where) {
        if (!ElementType.isKnownOnnxCode(code)) {
            throw where.fail(field + " " + code + " is not a known element type (TensorProto.DataType)");
        }
        return ElementType.fromOnnxCode(code);
    }

    static TypeProto encode(ValueType type) {
        TypeProto.Builder builder = TypeProto.newBuilder();
        if (!type.denotation().isEmpty()) {
            builder.setDenotation(type.denotation());
        }
        if (type instanceof ValueType.TensorType tensor) {
            TypeProto.Tensor.Builder tensorType = builder.getTensorTypeBuilder()
                    .setElemType(tensor.elementType().onnxCode());
            if (tensor.shape().isRankKnown()) {
                tensorType.setShape(encodeShape(tensor.shape()));
            }
        } else if (type instanceof ValueType.SparseTensorType sparse) {
            TypeProto.SparseTensor.Builder sparseType = builder.getSparseTensorTypeBuilder()
                    .setElemType(sparse.elementType().onnxCode());
            if (sparse.shape().isRankKnown()) {
                sparseType.setShape(encodeShape(sparse.shape()));
            }
        } else if (type instanceof ValueType.SequenceType sequence) {
            builder.getSequenceTypeBuilder().setElemType(encode(sequence.elementType()));
        } else if (type instanceof ValueType.OptionalType optional) {
            builder.getOptionalTypeBuilder().setElemType(encode(optional.elementType()));
        } else if (type instanceof ValueType.MapType map) {
            builder.getMapTypeBuilder().setKeyType(map.keyType().onnxCode()).setValueType(encode(map.valueType()));
        }
        return builder.build();
    }

    private static Shape shape(TensorShapeProto proto, Where where) {
        List<Dim> dims = new ArrayList<>(proto.getDimCount());
        List<String> denotations = new ArrayList<>(proto.getDimCount());
        for (int i = 0; i < proto.getDimCount(); i++) {
            TensorShapeProto.Dimension dim = proto.getDim(i);
            denotations.add(dim.getDenotation());
            switch (dim.getValueCase()) {
                case DIM_VALUE -> {
                    if (dim.getDimValue() < 0) {
                        throw where.fail("shape dim " + i + " has dim_value " + dim.getDimValue()
                                + "; sizes must be >= 0");
                    }
                    dims.add(Dim.of(dim.getDimValue()));
                }
                case DIM_PARAM -> dims.add(dim.getDimParam().isEmpty() ? Dim.UNKNOWN : Dim.of(dim.getDimParam()));
                case VALUE_NOT_SET -> dims.add(Dim.UNKNOWN);
            }
        }
        return Shape.of(dims).withDenotations(denotations);
    }

    private static TensorShapeProto encodeShape(Shape shape) {
        TensorShapeProto.Builder builder = TensorShapeProto.newBuilder();
        for (int axis = 0; axis < shape.rank(); axis++) {
            Dim dim = shape.dim(axis);
            // An unknown dimension is a Dimension with neither field set.
            TensorShapeProto.Dimension.Builder dimension = builder.addDimBuilder();
            if (dim instanceof Dim.Known known) {
                dimension.setDimValue(known.size());
            } else if (dim instanceof Dim.Symbolic symbolic) {
                dimension.setDimParam(symbolic.name());
            }
            if (!shape.denotation(axis).isEmpty()) {
                dimension.setDenotation(shape.denotation(axis));
            }
        }
        return builder.build();
    }
}
