package dev.tern.compress.quantize.internal;

import dev.tern.ir.ElementType;

/**
 * An 8-bit integer type a tensor is quantized to, with the range of integers used. Symmetric
 * int8 leaves out -128 so that zero sits in the middle and {@code -q} is always representable,
 * as ONNX Runtime's quantizer does for symmetric weights.
 */
public enum QuantType {
    /** Unsigned 8-bit, 0..255: ONNX Runtime's default for activations. */
    UINT8(ElementType.UINT8, 0, 255),
    /** Signed 8-bit, -127..127 with zero point 0: weights, and activations asked to be symmetric. */
    INT8(ElementType.INT8, -127, 127);

    private final ElementType elementType;
    private final int min;
    private final int max;

    QuantType(ElementType elementType, int min, int max) {
        this.elementType = elementType;
        this.min = min;
        this.max = max;
    }

    public ElementType elementType() {
        return elementType;
    }

    /** The smallest integer used. */
    public int min() {
        return min;
    }

    /** The largest integer used. */
    public int max() {
        return max;
    }
}
