package dev.tern.ir;

/** The kinds of node attribute ONNX defines, with their {@code AttributeProto.AttributeType} numbers. */
public enum AttributeType {
    FLOAT(1),
    INT(2),
    STRING(3),
    TENSOR(4),
    GRAPH(5),
    SPARSE_TENSOR(11),
    TYPE_PROTO(13),
    FLOATS(6),
    INTS(7),
    STRINGS(8),
    TENSORS(9),
    GRAPHS(10),
    SPARSE_TENSORS(12),
    TYPE_PROTOS(14);

    private final int onnxCode;

    AttributeType(int onnxCode) {
        this.onnxCode = onnxCode;
    }

    public int onnxCode() {
        return onnxCode;
    }

    /**
     * @throws IrException if no attribute type has this code (0, UNDEFINED, included)
     */
    public static AttributeType fromOnnxCode(int code) {
        for (AttributeType type : values()) {
            if (type.onnxCode == code) {
                return type;
            }
        }
        throw new IrException("unknown ONNX attribute type code " + code);
    }
}
