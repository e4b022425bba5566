package dev.tern.onnx.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.tern.ir.ElementType;
import dev.tern.ir.SparseTensor;
import dev.tern.ir.Tensor;
import dev.tern.onnx.internal.proto.OnnxProtos.SparseTensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Turns {@link Tensor}s into {@code TensorProto}s. Fixed-width data go out as
 * {@code raw_data} wrapping the tensor's own buffer (no copy), or, for tensors of at least
 * the threshold size when an {@link ExternalDataWriter} is given, into the external file.
 * Strings go into {@code string_data}. In the third mode, {@link #referencing}, chosen tensors
 * carry no bytes at all, only an external reference, for a runtime that gets their data
 * another way.
 */
public final class TensorEncoder {
    private final ExternalDataWriter externalData;
    private final long externalThreshold;
    private final Set<Tensor> referenced;
    private final String referenceLocation;

    private TensorEncoder(ExternalDataWriter externalData, long externalThreshold, Set<Tensor> referenced,
                          String referenceLocation) {
        this.externalData = externalData;
        this.externalThreshold = externalThreshold;
        this.referenced = referenced;
        this.referenceLocation = referenceLocation;
    }

    /** Keeps every tensor inside the model. */
    public static TensorEncoder inline() {
        return new TensorEncoder(null, Long.MAX_VALUE, Set.of(), null);
    }

    /** Sends fixed-width tensors of at least {@code threshold} bytes to {@code writer}. */
    public static TensorEncoder external(ExternalDataWriter writer, long threshold) {
        return new TensorEncoder(writer, threshold, Set.of(), null);
    }

    /**
     * Writes each tensor in {@code tensors} (matched by identity, so an attribute tensor that
     * happens to share a name is not affected) as {@code data_location = EXTERNAL} at
     * {@code location}, offset 0 and its own byte length, with no bytes; every other tensor
     * inline. Nothing is written to {@code location}.
     */
    public static TensorEncoder referencing(Collection<Tensor> tensors, String location) {
        Set<Tensor> identities = Collections.newSetFromMap(new IdentityHashMap<>());
        identities.addAll(tensors);
        return new TensorEncoder(null, Long.MAX_VALUE, identities, location);
    }

    /**
     * @param where the tensor's place, for errors
     * @throws dev.tern.onnx.ModelFormatException if the tensor's opaque fields are not TensorProto fields
     */
    TensorProto encode(Tensor tensor, String name, Where where) {
        TensorProto.Builder builder = TensorProto.newBuilder()
                .setDataType(tensor.elementType().onnxCode())
                .setName(name);
        for (long dim : tensor.dims()) {
            builder.addDims(dim);
        }
        if (!tensor.docString().isEmpty()) {
            builder.setDocString(tensor.docString());
        }
        builder.addAllMetadataProps(StringEntries.of(tensor.metadataProps()));
        OpaqueFieldCodec.restore(builder, tensor.opaqueFields(), where);
        if (tensor.elementType() == ElementType.STRING) {
            for (byte[] s : tensor.strings()) {
                builder.addStringData(ByteString.copyFrom(s));
            }
        } else if (referenced.contains(tensor)) {
            builder.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addAllExternalData(List.of(StringEntries.entry("location", referenceLocation),
                            StringEntries.entry("offset", "0"),
                            StringEntries.entry("length", Long.toString(tensor.byteSize()))));
        } else if (externalData != null && tensor.byteSize() >= externalThreshold) {
            builder.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addAllExternalData(externalData.append(tensor.data()));
        } else {
            builder.setRawData(UnsafeByteOperations.unsafeWrap(tensor.data()));
        }
        return builder.build();
    }

    SparseTensorProto encodeSparse(SparseTensor tensor, String name, Where where) {
        SparseTensorProto.Builder builder = SparseTensorProto.newBuilder()
                .setValues(encode(tensor.values(), name, where.then("values")))
                .setIndices(encode(tensor.indices(), tensor.indices().name(), where.then("indices")));
        for (long dim : tensor.dims()) {
            builder.addDims(dim);
        }
        return builder.build();
    }
}
