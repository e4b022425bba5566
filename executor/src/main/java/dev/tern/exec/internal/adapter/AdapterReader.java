package dev.tern.exec.internal.adapter;

import dev.tern.exec.AdapterFile;
import dev.tern.ir.ElementType;
import dev.tern.ir.IrException;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Parses ONNX Runtime's adapter format, checking everything ONNX Runtime's own verifier checks and more. */
public final class AdapterReader {
    private AdapterReader() {
    }

    /**
     * Parses {@code bytes} (from position to limit). The parameters' data are views of
     * {@code bytes}, not copies.
     *
     * @param source names the bytes in errors (a file name)
     * @throws dev.tern.exec.AdapterFormatException if the bytes are not an adapter of format version 1
     */
    public static AdapterFile read(ByteBuffer bytes, String source) {
        FlatBufferInput in = new FlatBufferInput(bytes, source);
        if (in.size() <= 8 || !in.identifier().equals(AdapterSchema.FILE_IDENTIFIER)) {
            throw in.error("not an ONNX Runtime adapter file: expected the identifier '"
                    + AdapterSchema.FILE_IDENTIFIER + "' at byte 4");
        }
        int adapter = in.root();
        int formatVersion = in.intField(adapter, AdapterSchema.ADAPTER_FORMAT_VERSION, 0);
        if (formatVersion != AdapterSchema.FORMAT_VERSION) {
            throw in.error("adapter format version " + formatVersion + " is not supported, expected "
                    + AdapterSchema.FORMAT_VERSION);
        }
        List<Tensor> parameters = new ArrayList<>();
        int vectorField = in.field(adapter, AdapterSchema.ADAPTER_PARAMETERS);
        if (vectorField >= 0) {
            int vector = in.target(vectorField, "the parameter list");
            int count = in.vectorLength(vector, 4, "the parameter list");
            for (int i = 0; i < count; i++) {
                int at = vector + 4 + 4 * i;
                parameters.add(parameter(in, in.target(at, "parameter " + i), i));
            }
        }
        try {
            return new AdapterFile(in.intField(adapter, AdapterSchema.ADAPTER_ADAPTER_VERSION, 0),
                    in.intField(adapter, AdapterSchema.ADAPTER_MODEL_VERSION, 0), parameters);
        } catch (IllegalArgumentException e) {
            throw in.error(e.getMessage());
        }
    }

    private static Tensor parameter(FlatBufferInput in, int table, int index) {
        int nameField = in.field(table, AdapterSchema.PARAMETER_NAME);
        String name = nameField < 0 ? "" : in.string(in.target(nameField, "a parameter name"), "a parameter name");
        String where = "parameter " + index + " '" + name + "'";
        if (name.isEmpty()) {
            throw in.error(where + " has no name; ONNX Runtime binds parameters to model inputs by name");
        }
        long[] dims = dims(in, table, where);
        int code = in.intField(table, AdapterSchema.PARAMETER_DATA_TYPE, 0);
        if (!ElementType.isKnownOnnxCode(code) || !ElementType.fromOnnxCode(code).isFixedWidth()) {
            throw in.error(where + ": data type " + code + " is not a fixed-width ONNX element type");
        }
        int dataField = in.field(table, AdapterSchema.PARAMETER_RAW_DATA);
        ByteBuffer data = ByteBuffer.allocate(0);
        if (dataField >= 0) {
            int vector = in.target(dataField, where + "'s raw data");
            data = in.slice(vector + 4, in.vectorLength(vector, 1, where + "'s raw data"));
        }
        try {
            return Tensor.of(name, ElementType.fromOnnxCode(code), dims, data);
        } catch (IrException e) {
            throw in.error(where + ": " + e.getMessage());
        }
    }

    private static long[] dims(FlatBufferInput in, int table, String where) {
        int field = in.field(table, AdapterSchema.PARAMETER_DIMS);
        if (field < 0) {
            return new long[0];
        }
        int vector = in.target(field, where + "'s dims");
        long[] dims = new long[in.vectorLength(vector, Long.BYTES, where + "'s dims")];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = in.longAt(vector + 4 + Long.BYTES * i);
        }
        return dims;
    }
}
