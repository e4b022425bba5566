package dev.tern.compress.quantize.internal;

/**
 * One scale and zero point mapping floats to integers of a {@link QuantType}:
 * {@code q = clamp(round(x / scale) + zeroPoint)} and back {@code x = (q - zeroPoint) * scale}.
 *
 * @param scale the float step between neighbouring integers, above 0
 * @param zeroPoint the integer that stands for 0.0
 */
public record AffineParams(float scale, int zeroPoint, QuantType type) {
    /**
     * The parameters that cover {@code [min, max]}, widened to hold 0 (so that zero padding and
     * ReLU's zeros are exact), as ONNX Runtime's {@code compute_scale_zp}: symmetric ones centre
     * the range on 0 with zero point 0 (int8) or the middle integer (uint8). An empty range
     * (all zeros) gets scale 1 so that dividing by it stays finite.
     *
     * @throws IllegalArgumentException if {@code min} or {@code max} is not finite
     */
    public static AffineParams covering(float min, float max, QuantType type, boolean symmetric) {
        if (!Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException("expected a finite range, found [" + min + ", " + max + "]");
        }
        double low = Math.min(min, 0f);
        double high = Math.max(max, 0f);
        if (symmetric) {
            double absMax = Math.max(-low, high);
            low = -absMax;
            high = absMax;
        }
        double scale = (high - low) / (type.max() - type.min());
        if (scale == 0 || (float) scale == 0f) {
            return new AffineParams(1f, symmetric ? (type.min() + type.max() + 1) / 2 : type.min(), type);
        }
        int zeroPoint = symmetric && type == QuantType.INT8
                ? 0
                : (int) Math.max(type.min(), Math.min(type.max(), Math.rint(type.min() - low / scale)));
        return new AffineParams((float) scale, zeroPoint, type);
    }

    /** {@code x} as an integer of this type: rounded half to even, shifted and clamped. */
    public int quantize(float x) {
        double q = Math.rint(x / (double) scale) + zeroPoint;
        return (int) Math.max(type.min(), Math.min(type.max(), q));
    }
}
