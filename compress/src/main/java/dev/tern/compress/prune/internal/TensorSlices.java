package dev.tern.compress.prune.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Channel-wise copies of a tensor along one axis, each channel a block of consecutive entries there. */
public final class TensorSlices {
    private TensorSlices() {
    }

    /** {@code tensor} with only the blocks of {@code channels} (ascending) along {@code axis}; any fixed-width type. */
    public static Tensor keep(Tensor tensor, int axis, int[] channels, int block) {
        long[] dims = tensor.dims();
        int itemBytes = Math.toIntExact(tensor.elementType().byteSize(1));
        long outer = product(dims, 0, axis);
        long inner = product(dims, axis + 1, dims.length) * itemBytes;
        long[] keptDims = dims.clone();
        keptDims[axis] = (long) channels.length * block;
        ByteBuffer source = tensor.data();
        ByteBuffer target = ByteBuffer.allocate(Math.toIntExact(tensor.elementType().byteSize(product(keptDims, 0,
                keptDims.length)))).order(ByteOrder.LITTLE_ENDIAN);
        long blockBytes = block * inner;
        for (long o = 0; o < outer; o++) {
            for (int channel : channels) {
                int start = Math.toIntExact((o * dims[axis] + (long) channel * block) * inner);
                target.put(source.slice(start, Math.toIntExact(blockBytes)));
            }
        }
        target.flip();
        return Tensor.of(tensor.name(), tensor.elementType(), keptDims, target);
    }

    /** A float32 copy of {@code tensor} with the blocks of {@code channels} along {@code axis} set to +0. */
    public static Tensor zero(Tensor tensor, int axis, int[] channels, int block) {
        if (tensor.elementType() != ElementType.FLOAT) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' is " + tensor.elementType()
                    + ", only float32 channels are zeroed");
        }
        long[] dims = tensor.dims();
        long outer = product(dims, 0, axis);
        long inner = product(dims, axis + 1, dims.length);
        float[] values = tensor.toFloatArray();
        for (long o = 0; o < outer; o++) {
            for (int channel : channels) {
                long start = (o * dims[axis] + (long) channel * block) * inner;
                for (long i = start; i < start + block * inner; i++) {
                    values[Math.toIntExact(i)] = 0f;
                }
            }
        }
        return Tensor.ofFloats(tensor.name(), dims, values);
    }

    /** The norm of each block along {@code axis} of a float32 tensor. */
    public static double[] norms(Tensor tensor, int axis, boolean squared) {
        long[] dims = tensor.dims();
        long outer = product(dims, 0, axis);
        long inner = product(dims, axis + 1, dims.length);
        float[] values = tensor.toFloatArray();
        double[] norms = new double[Math.toIntExact(dims[axis])];
        for (long o = 0; o < outer; o++) {
            for (int channel = 0; channel < norms.length; channel++) {
                long start = (o * dims[axis] + channel) * inner;
                for (long i = start; i < start + inner; i++) {
                    float value = values[Math.toIntExact(i)];
                    norms[channel] += squared ? (double) value * value : Math.abs(value);
                }
            }
        }
        if (squared) {
            for (int channel = 0; channel < norms.length; channel++) {
                norms[channel] = Math.sqrt(norms[channel]);
            }
        }
        return norms;
    }

    private static long product(long[] dims, int from, int to) {
        long product = 1;
        for (int i = from; i < to; i++) {
            product *= dims[i];
        }
        return product;
    }
}
