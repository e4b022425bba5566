package dev.tern.compress.quantize.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A float weight stored as symmetric int8: one scale for the whole tensor, or one per slice
 * along a channel axis. The zero points are all 0, as ONNX Runtime writes symmetric weights.
 */
public final class QuantizedWeight {
    private final Tensor values;
    private final float[] scales;
    private final int axis;

    private QuantizedWeight(Tensor values, float[] scales, int axis) {
        this.values = values;
        this.scales = scales;
        this.axis = axis;
    }

    /**
     * Quantizes {@code weight} with one scale per slice along {@code axis}, or one for the whole
     * tensor when {@code axis} is -1. A slice's scale is its largest magnitude over 127.
     *
     * @throws IllegalArgumentException if the weight is not FLOAT or {@code axis} is out of range
     */
    public static QuantizedWeight of(Tensor weight, int axis) {
        if (weight.elementType() != ElementType.FLOAT) {
            throw new IllegalArgumentException("weight '" + weight.name() + "': expected FLOAT, found "
                    + weight.elementType());
        }
        if (axis < -1 || axis >= weight.rank()) {
            throw new IllegalArgumentException("weight '" + weight.name() + "' of rank " + weight.rank()
                    + ": channel axis " + axis + " is out of range");
        }
        float[] data = weight.toFloatArray();
        long[] dims = weight.dims();
        int channels = axis < 0 ? 1 : Math.toIntExact(dims[axis]);
        int inner = 1;
        for (int d = axis + 1; d < dims.length && axis >= 0; d++) {
            inner = Math.multiplyExact(inner, Math.toIntExact(dims[d]));
        }
        float[] absMax = new float[channels];
        for (int i = 0; i < data.length; i++) {
            int channel = channelOf(i, inner, channels);
            absMax[channel] = Math.max(absMax[channel], Math.abs(data[i]));
        }
        AffineParams[] params = new AffineParams[channels];
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            params[c] = AffineParams.covering(-absMax[c], absMax[c], QuantType.INT8, true);
            scales[c] = params[c].scale();
        }
        ByteBuffer bytes = ByteBuffer.allocateDirect(data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < data.length; i++) {
            bytes.put((byte) params[channelOf(i, inner, channels)].quantize(data[i]));
        }
        bytes.flip();
        return new QuantizedWeight(Tensor.of(weight.name() + "_quantized", ElementType.INT8, dims,
                bytes.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN)), scales, axis);
    }

    private static int channelOf(int flatIndex, int inner, int channels) {
        return channels == 1 ? 0 : (flatIndex / inner) % channels;
    }

    /** The int8 values, shaped as the float weight. */
    public Tensor values() {
        return values;
    }

    /** The scales as a tensor: a scalar per tensor, a 1-D tensor of one per channel otherwise. */
    public Tensor scaleTensor(String name) {
        return axis < 0
                ? Tensor.ofFloats(name, new long[0], scales[0])
                : Tensor.ofFloats(name, new long[] {scales.length}, scales.clone());
    }

    /** The zero points (all 0) shaped as {@link #scaleTensor}. */
    public Tensor zeroPointTensor(String name) {
        long[] dims = axis < 0 ? new long[0] : new long[] {scales.length};
        return Tensor.zeros(name, ElementType.INT8, dims);
    }

    /** The scales, one per channel (one in all when per tensor). */
    public float[] scales() {
        return scales.clone();
    }

    /** The channel axis, or -1 for one scale per tensor. */
    public int axis() {
        return axis;
    }
}
