package dev.tern.onnx.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.tern.ir.ElementType;
import dev.tern.ir.SparseTensor;
import dev.tern.ir.Tensor;
import dev.tern.onnx.internal.proto.OnnxProtos.SparseTensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;

/**
 * Turns {@link Tensor}s into {@code TensorProto}s. Fixed-width data go out as
 * {@code raw_data} wrapping the tensor's own buffer (no copy), or, for tensors of at least
 * the threshold size when an {@link ExternalDataWriter} is given, into the external file.
 * Strings go into {@code string_data}.
 */
public final class TensorEncoder {
    private final ExternalDataWriter externalData;
    private final long externalThreshold;

    private TensorEncoder(ExternalDataWriter externalData, long externalThreshold) {
        this.externalData = externalData;
        this.externalThreshold = externalThreshold;
    }

    /** Keeps every tensor inside the model. */
    public static TensorEncoder inline() {
        return new TensorEncoder(null, Long.MAX_VALUE);
    }

    /** Sends fixed-width tensors of at least {@code threshold} bytes to {@code writer}. */
    public static TensorEncoder external(ExternalDataWriter writer, long threshold) {
        return new TensorEncoder(writer, threshold);
    }

    TensorProto encode(Tensor tensor, String name) {
        TensorProto.Builder builder = TensorProto.newBuilder()
                .setDataType(tensor.elementType().onnxCode())
                .setName(name);
        for (long dim : tensor.dims()) {
            builder.addDims(dim);
        }
        if (!tensor.docString().isEmpty()) {
            builder.setDocString(tensor.docString());
        }
        if (tensor.elementType() == ElementType.STRING) {
            for (byte[] s : tensor.strings()) {
                builder.addStringData(ByteString.copyFrom(s));
            }
        } else if (externalData != null && tensor.byteSize() >= externalThreshold) {
            builder.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addAllExternalData(externalData.append(tensor.data()));
        } else {
            builder.setRawData(UnsafeByteOperations.unsafeWrap(tensor.data()));
        }
        return builder.build();
    }

    SparseTensorProto encodeSparse(SparseTensor tensor, String name) {
        SparseTensorProto.Builder builder = SparseTensorProto.newBuilder()
                .setValues(encode(tensor.values(), name))
                .setIndices(encode(tensor.indices(), tensor.indices().name()));
        for (long dim : tensor.dims()) {
            builder.addDims(dim);
        }
        return builder.build();
    }
}
