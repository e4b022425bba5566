package dev.tern.onnx.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import dev.tern.onnx.TestData;
import dev.tern.onnx.internal.proto.OnnxDataProtos.MapProto;
import dev.tern.onnx.internal.proto.OnnxDataProtos.OptionalProto;
import dev.tern.onnx.internal.proto.OnnxDataProtos.SequenceProto;
import dev.tern.onnx.internal.proto.OnnxProtos.SparseTensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads ONNX test-data files. Their bytes do not say which message they hold, so the value's
 * expected {@link ValueType} picks the message: a tensor type means {@code TensorProto}, a
 * sequence {@code SequenceProto}, a map {@code MapProto}, an optional {@code OptionalProto}.
 */
public final class TestDataDecoder {
    private static final int TENSOR = 1;
    private static final int SPARSE_TENSOR = 2;
    private static final int SEQUENCE = 3;
    private static final int MAP = 4;
    private static final int OPTIONAL = 5;

    private final TensorDecoder tensors;
    private final Where where;

    public TestDataDecoder(ExternalDataResolver externalData, String source) {
        this.tensors = new TensorDecoder(externalData);
        this.where = Where.in(source);
    }

    /**
     * @throws dev.tern.onnx.ModelFormatException if the bytes are not the message {@code type} calls for
     */
    public TestData decode(ByteBuffer bytes, ValueType type) {
        String source = where.source();
        if (type instanceof ValueType.TensorType) {
            return new TestData.TensorData(tensors.decode(
                    ProtoReader.parse(bytes, TensorProto.parser(), "TensorProto", source), where));
        }
        if (type instanceof ValueType.SparseTensorType) {
            return new TestData.SparseTensorData(tensors.decodeSparse(
                    ProtoReader.parse(bytes, SparseTensorProto.parser(), "SparseTensorProto", source), where));
        }
        if (type instanceof ValueType.SequenceType) {
            return sequence(ProtoReader.parse(bytes, SequenceProto.parser(), "SequenceProto", source), where);
        }
        if (type instanceof ValueType.MapType) {
            return map(ProtoReader.parse(bytes, MapProto.parser(), "MapProto", source), where);
        }
        return optional(ProtoReader.parse(bytes, OptionalProto.parser(), "OptionalProto", source), where);
    }

    private TestData sequence(SequenceProto proto, Where at) {
        List<TestData> elements = new ArrayList<>();
        switch (proto.getElemType()) {
            case TENSOR -> proto.getTensorValuesList().forEach(t -> elements.add(
                    new TestData.TensorData(tensors.decode(t, at.then("tensor_values[" + elements.size() + "]")))));
            case SPARSE_TENSOR -> proto.getSparseTensorValuesList().forEach(t -> elements.add(
                    new TestData.SparseTensorData(tensors.decodeSparse(t,
                            at.then("sparse_tensor_values[" + elements.size() + "]")))));
            case SEQUENCE -> proto.getSequenceValuesList().forEach(s -> elements.add(
                    sequence(s, at.then("sequence_values[" + elements.size() + "]"))));
            case MAP -> proto.getMapValuesList().forEach(m -> elements.add(
                    map(m, at.then("map_values[" + elements.size() + "]"))));
            case OPTIONAL -> proto.getOptionalValuesList().forEach(o -> elements.add(
                    optional(o, at.then("optional_values[" + elements.size() + "]"))));
            default -> throw at.fail("elem_type " + proto.getElemType() + " is not a SequenceProto.DataType");
        }
        return new TestData.SequenceData(elements);
    }

    private TestData map(MapProto proto, Where at) {
        ElementType keyType = TypeCodec.elementType(proto.getKeyType(), "key_type", at);
        TestData.SequenceData values = (TestData.SequenceData) sequence(proto.getValues(), at.then("values"));
        Tensor keys;
        if (keyType == ElementType.STRING) {
            List<byte[]> strings = new ArrayList<>();
            proto.getStringKeysList().forEach(s -> strings.add(s.toByteArray()));
            keys = Tensor.ofStrings("keys", new long[] {strings.size()}, strings);
        } else if (isInteger(keyType)) {
            keys = integerKeys(proto.getKeysList(), keyType);
        } else {
            throw at.fail("key_type " + keyType + " is not an integer type or STRING");
        }
        if (keys.elementCount() != values.elements().size()) {
            throw at.fail(keys.elementCount() + " keys but " + values.elements().size() + " values");
        }
        return new TestData.MapData(keys, values.elements());
    }

    private TestData optional(OptionalProto proto, Where at) {
        TestData value = switch (proto.getElemType()) {
            case TENSOR -> proto.hasTensorValue()
                    ? new TestData.TensorData(tensors.decode(proto.getTensorValue(), at.then("tensor_value"))) : null;
            case SPARSE_TENSOR -> proto.hasSparseTensorValue()
                    ? new TestData.SparseTensorData(tensors.decodeSparse(proto.getSparseTensorValue(),
                            at.then("sparse_tensor_value"))) : null;
            case SEQUENCE -> proto.hasSequenceValue()
                    ? sequence(proto.getSequenceValue(), at.then("sequence_value")) : null;
            case MAP -> proto.hasMapValue() ? map(proto.getMapValue(), at.then("map_value")) : null;
            case OPTIONAL -> proto.hasOptionalValue()
                    ? optional(proto.getOptionalValue(), at.then("optional_value")) : null;
            default -> null;
        };
        return new TestData.OptionalData(Optional.ofNullable(value));
    }

    private static boolean isInteger(ElementType type) {
        return switch (type) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> true;
            default -> false;
        };
    }

    private static Tensor integerKeys(List<Long> keys, ElementType type) {
        int width = type.bitWidth() / 8;
        ByteBuffer buffer = ByteBuffer.allocateDirect(keys.size() * width).order(ByteOrder.LITTLE_ENDIAN);
        for (long key : keys) {
            switch (width) {
                case 1 -> buffer.put((byte) key);
                case 2 -> buffer.putShort((short) key);
                case 4 -> buffer.putInt((int) key);
                default -> buffer.putLong(key);
            }
        }
        return Tensor.of("keys", type, new long[] {keys.size()}, buffer.flip());
    }
}
