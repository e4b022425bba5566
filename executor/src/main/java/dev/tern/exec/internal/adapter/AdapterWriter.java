package dev.tern.exec.internal.adapter;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.util.List;

/** Serializes adapter parameters into ONNX Runtime's adapter format. */
public final class AdapterWriter {
    private AdapterWriter() {
    }

    /**
     * The adapter file's bytes, in a new little-endian heap buffer from its position to its limit.
     *
     * @param parameters fixed-width tensors with distinct names (checked by the caller)
     */
    public static ByteBuffer write(int adapterVersion, int modelVersion, List<Tensor> parameters) {
        long bytes = 64;
        for (Tensor parameter : parameters) {
            bytes += parameter.byteSize() + 8L * parameter.rank() + parameter.name().length() * 3L + 64;
        }
        FlatBufferBuilder builder = new FlatBufferBuilder((int) Math.min(bytes, Integer.MAX_VALUE - 8));
        int[] tables = new int[parameters.size()];
        for (int i = 0; i < tables.length; i++) {
            tables[i] = parameter(builder, parameters.get(i));
        }
        int parameterVector = builder.createVectorOfTables(tables);
        builder.startTable(AdapterSchema.ADAPTER_FIELDS);
        builder.addInt(AdapterSchema.ADAPTER_FORMAT_VERSION, AdapterSchema.FORMAT_VERSION, 0);
        builder.addInt(AdapterSchema.ADAPTER_ADAPTER_VERSION, adapterVersion, 0);
        builder.addInt(AdapterSchema.ADAPTER_MODEL_VERSION, modelVersion, 0);
        builder.addOffset(AdapterSchema.ADAPTER_PARAMETERS, parameterVector, 0);
        builder.finish(builder.endTable(), AdapterSchema.FILE_IDENTIFIER);
        return builder.dataBuffer();
    }

    private static int parameter(FlatBufferBuilder builder, Tensor tensor) {
        int name = builder.createString(tensor.name());
        long[] dims = tensor.dims();
        builder.startVector(Long.BYTES, dims.length, Long.BYTES);
        // Flatbuffers builds back to front: the last element goes in first.
        for (int i = dims.length - 1; i >= 0; i--) {
            builder.addLong(dims[i]);
        }
        int dimsVector = builder.endVector();
        ByteBuffer data = tensor.data();
        builder.createUnintializedVector(1, data.remaining(), AdapterSchema.RAW_DATA_ALIGNMENT).put(data);
        int rawData = builder.endVector();
        builder.startTable(AdapterSchema.PARAMETER_FIELDS);
        builder.addOffset(AdapterSchema.PARAMETER_NAME, name, 0);
        builder.addOffset(AdapterSchema.PARAMETER_DIMS, dimsVector, 0);
        builder.addInt(AdapterSchema.PARAMETER_DATA_TYPE, tensor.elementType().onnxCode(), 0);
        builder.addOffset(AdapterSchema.PARAMETER_RAW_DATA, rawData, 0);
        return builder.endTable();
    }
}
