package dev.tern.conformance;

import dev.tern.ir.ElementType;

import java.nio.ByteBuffer;

/** Reads element {@code i} of a little-endian floating-point buffer as a double. */
final class FloatDecoding {
    private FloatDecoding() {
    }

    static double read(ElementType type, ByteBuffer data, int i) {
        return switch (type) {
            case FLOAT -> data.getFloat(i * 4);
            case DOUBLE -> data.getDouble(i * 8);
            case FLOAT16 -> halfToFloat(data.getShort(i * 2));
            case BFLOAT16 -> Float.intBitsToFloat((data.getShort(i * 2) & 0xffff) << 16);
            default -> throw new IllegalArgumentException(type + " is not a floating-point type");
        };
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
