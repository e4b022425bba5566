package dev.tern.exec.internal.adapter;

/**
 * Field slots and constants of ONNX Runtime's adapter schema
 * ({@code onnxruntime/lora/adapter_format/adapter_schema.fbs}):
 *
 * <pre>
 * table Parameter { name:string; dims:[int64]; data_type:TensorDataType; raw_data:[uint8] (force_align: 8); }
 * table Adapter { format_version:int; adapter_version:int; model_version:int; parameters:[Parameter]; }
 * root_type Adapter; file_identifier "TORT";
 * </pre>
 *
 * {@code TensorDataType} uses the codes of ONNX's {@code TensorProto.DataType}.
 */
final class AdapterSchema {
    /** The only format version ONNX Runtime 1.29 reads ({@code kAdapterFormatVersion}). */
    static final int FORMAT_VERSION = 1;
    static final String FILE_IDENTIFIER = "TORT";
    /** The schema forces raw data to this alignment so that ONNX Runtime can use it in place. */
    static final int RAW_DATA_ALIGNMENT = 8;

    static final int PARAMETER_FIELDS = 4;
    static final int PARAMETER_NAME = 0;
    static final int PARAMETER_DIMS = 1;
    static final int PARAMETER_DATA_TYPE = 2;
    static final int PARAMETER_RAW_DATA = 3;

    static final int ADAPTER_FIELDS = 4;
    static final int ADAPTER_FORMAT_VERSION = 0;
    static final int ADAPTER_ADAPTER_VERSION = 1;
    static final int ADAPTER_MODEL_VERSION = 2;
    static final int ADAPTER_PARAMETERS = 3;

    private AdapterSchema() {
    }
}
