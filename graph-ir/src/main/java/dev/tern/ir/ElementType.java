package dev.tern.ir;

/**
 * Every tensor element type ONNX defines, with its ONNX code ({@code TensorProto.DataType})
 * and its storage width in bits. Sub-byte types (int4, uint4, float4e2m1, int2, uint2) are
 * packed: two (or four) elements share one byte, low bits first.
 */
public enum ElementType {
    UNDEFINED(0, 0),
    FLOAT(1, 32),
    UINT8(2, 8),
    INT8(3, 8),
    UINT16(4, 16),
    INT16(5, 16),
    INT32(6, 32),
    INT64(7, 64),
    /** Variable-length byte strings; not stored in a fixed-width buffer. */
    STRING(8, 0),
    BOOL(9, 8),
    FLOAT16(10, 16),
    DOUBLE(11, 64),
    UINT32(12, 32),
    UINT64(13, 64),
    COMPLEX64(14, 64),
    COMPLEX128(15, 128),
    BFLOAT16(16, 16),
    FLOAT8E4M3FN(17, 8),
    FLOAT8E4M3FNUZ(18, 8),
    FLOAT8E5M2(19, 8),
    FLOAT8E5M2FNUZ(20, 8),
    UINT4(21, 4),
    INT4(22, 4),
    FLOAT4E2M1(23, 4),
    FLOAT8E8M0(24, 8),
    UINT2(25, 2),
    INT2(26, 2);

    private static final ElementType[] BY_CODE = new ElementType[27];

    static {
        for (ElementType type : values()) {
            BY_CODE[type.onnxCode] = type;
        }
    }

    private final int onnxCode;
    private final int bitWidth;

    ElementType(int onnxCode, int bitWidth) {
        this.onnxCode = onnxCode;
        this.bitWidth = bitWidth;
    }

    /** The {@code TensorProto.DataType} number. */
    public int onnxCode() {
        return onnxCode;
    }

    /** Bits one element occupies in packed storage; 0 for {@link #STRING} and {@link #UNDEFINED}. */
    public int bitWidth() {
        return bitWidth;
    }

    /** Whether elements live in a fixed-width little-endian buffer (every type but STRING and UNDEFINED). */
    public boolean isFixedWidth() {
        return bitWidth > 0;
    }

    /**
     * Whether this is a real floating-point type arithmetic and gradients work in: FLOAT,
     * DOUBLE, FLOAT16 or BFLOAT16 (the float8 and float4 types are storage formats).
     */
    public boolean isFloatingPoint() {
        return this == FLOAT || this == DOUBLE || this == FLOAT16 || this == BFLOAT16;
    }

    /**
     * Bytes needed to store {@code elementCount} elements, packed.
     *
     * @throws IrException if the type has no fixed width or the size overflows a long
     */
    public long byteSize(long elementCount) {
        if (!isFixedWidth()) {
            throw new IrException("element type " + this + " has no fixed byte size");
        }
        if (elementCount < 0) {
            throw new IrException("negative element count " + elementCount + " for " + this);
        }
        long bits = Math.multiplyExact(elementCount, (long) bitWidth);
        return bits / 8 + (bits % 8 == 0 ? 0 : 1);
    }

    /**
     * The type with this ONNX code.
     *
     * @throws IrException if no ONNX element type has this code
     */
    public static ElementType fromOnnxCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new IrException("unknown ONNX element type code " + code
                    + " (known: 0.." + (BY_CODE.length - 1) + ")");
        }
        return BY_CODE[code];
    }

    /** Whether {@code code} names a known ONNX element type. */
    public static boolean isKnownOnnxCode(int code) {
        return code >= 0 && code < BY_CODE.length && BY_CODE[code] != null;
    }

    /** Lower-case name as ONNX writes it in text ("float", "int64", "float8e4m3fn"). */
    public String onnxName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
