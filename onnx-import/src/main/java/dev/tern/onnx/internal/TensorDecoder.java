package dev.tern.onnx.internal;

import com.google.protobuf.ByteString;
import dev.tern.ir.ElementType;
import dev.tern.ir.SparseTensor;
import dev.tern.ir.Tensor;
import dev.tern.onnx.internal.proto.OnnxProtos.SparseTensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns {@code TensorProto}s into {@link Tensor}s. {@code raw_data} and external data become
 * views of the parsed input or mapped file (no copy); typed fields are converted by
 * {@link TypedFieldDecoder}. Sizes are checked, with overflow checks, before anything is
 * allocated. Doc string, metadata and unknown fields go along.
 */
public final class TensorDecoder {
    private final ExternalDataResolver externalData;

    public TensorDecoder(ExternalDataResolver externalData) {
        this.externalData = externalData;
    }

    /**
     * @throws dev.tern.onnx.ModelFormatException naming {@code where} and the field at fault
     */
    public Tensor decode(TensorProto proto, Where where) {
        ElementType type = TypeCodec.elementType(proto.getDataType(), "data_type", where);
        if (type == ElementType.UNDEFINED) {
            throw where.fail("data_type is UNDEFINED (0); a tensor needs an element type");
        }
        long[] dims = dims(proto.getDimsList(), "dims", where);
        long count = elementCount(dims, where);
        if (proto.hasSegment()) {
            throw where.fail("segment is set; tensors split into segments are not supported");
        }
        Tensor tensor = type == ElementType.STRING
                ? strings(proto, dims, count, where)
                : Tensor.of(proto.getName(), type, dims, data(proto, type, dims, count, where));
        return annotated(tensor, proto);
    }

    /** {@code tensor} with the doc string, metadata and opaque fields of {@code proto}. */
    private static Tensor annotated(Tensor tensor, TensorProto proto) {
        Tensor annotated = tensor;
        if (!proto.getDocString().isEmpty()) {
            annotated = annotated.withDocString(proto.getDocString());
        }
        if (proto.getMetadataPropsCount() > 0) {
            annotated = annotated.withMetadataProps(StringEntries.toMap(proto.getMetadataPropsList()));
        }
        if (!proto.getUnknownFields().asMap().isEmpty()) {
            annotated = annotated.withOpaqueFields(OpaqueFieldCodec.unknownFieldsOf(proto));
        }
        return annotated;
    }

    /**
     * @throws dev.tern.onnx.ModelFormatException if a part is missing or malformed, or the
     *     values and indices do not agree with each other and the dense shape
     */
    public SparseTensor decodeSparse(SparseTensorProto proto, Where where) {
        if (!proto.hasValues() || !proto.hasIndices()) {
            throw where.fail("a sparse tensor needs both values and indices");
        }
        long[] dims = dims(proto.getDimsList(), "dims", where);
        Tensor values = decode(proto.getValues(), where.then("values"));
        Tensor indices = decode(proto.getIndices(), where.then("indices"));
        if (values.rank() != 1) {
            throw where.fail("values must be 1-D [NNZ], found dims " + Arrays.toString(values.dims()));
        }
        if (indices.elementType() != ElementType.INT64) {
            throw where.fail("indices must be INT64, found " + indices.elementType());
        }
        long nonZeros = values.dims()[0];
        long[] indexDims = indices.dims();
        boolean linear = indexDims.length == 1 && indexDims[0] == nonZeros;
        boolean coordinates = indexDims.length == 2 && indexDims[0] == nonZeros && indexDims[1] == dims.length;
        if (!linear && !coordinates) {
            throw where.fail("indices dims " + Arrays.toString(indexDims) + " fit neither [" + nonZeros + "] nor ["
                    + nonZeros + ", " + dims.length + "] for " + nonZeros + " values of dense dims "
                    + Arrays.toString(dims));
        }
        return new SparseTensor(values, indices, dims);
    }

    private ByteBuffer data(TensorProto proto, ElementType type, long[] dims, long count, Where where) {
        long byteSize = byteSize(type, count, dims, where);
        if (proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return externalData.read(proto, byteSize, where);
        }
        if (proto.hasRawData()) {
            ByteString raw = proto.getRawData();
            if (raw.size() != byteSize) {
                throw where.fail("raw_data has " + raw.size() + " bytes, dims " + Arrays.toString(dims) + " of "
                        + type + " need " + byteSize);
            }
            return raw.asReadOnlyByteBuffer();
        }
        return TypedFieldDecoder.decode(proto, type, count, byteSize, dims, where);
    }

    private static Tensor strings(TensorProto proto, long[] dims, long count, Where where) {
        if (proto.hasRawData() || proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw where.fail("a STRING tensor keeps its elements in string_data, not raw_data or external data");
        }
        if (proto.getStringDataCount() != count) {
            throw where.fail("string_data has " + proto.getStringDataCount() + " entries, dims "
                    + Arrays.toString(dims) + " need " + count);
        }
        List<byte[]> strings = new ArrayList<>(proto.getStringDataCount());
        for (ByteString s : proto.getStringDataList()) {
            strings.add(s.toByteArray());
        }
        return Tensor.ofStrings(proto.getName(), dims, strings);
    }

    static long[] dims(List<Long> values, String field, Where where) {
        long[] dims = new long[values.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = values.get(i);
            if (dims[i] < 0) {
                throw where.fail(field + "[" + i + "] is " + dims[i] + "; dimensions must be >= 0");
            }
        }
        return dims;
    }

    private static long elementCount(long[] dims, Where where) {
        long count = 1;
        for (long dim : dims) {
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                throw where.fail("dims " + Arrays.toString(dims) + " hold more elements than a long can count");
            }
        }
        return count;
    }

    private static long byteSize(ElementType type, long count, long[] dims, Where where) {
        long bytes;
        try {
            bytes = type.byteSize(count);
        } catch (ArithmeticException e) {
            throw where.fail("dims " + Arrays.toString(dims) + " of " + type + " need more bytes than a long can count");
        }
        if (bytes > Integer.MAX_VALUE) {
            throw where.fail("dims " + Arrays.toString(dims) + " of " + type + " need " + bytes
                    + " bytes; one tensor can hold at most 2 GiB");
        }
        return bytes;
    }
}
