package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The specialized form of a convolution's weight gradient: matrix products over im2col
 * columns. The input is turned channels-last and padded, so that the windows at one kernel
 * position are one slice of whole channel vectors, [batch x positions, channels]; stacked over
 * the kernel positions and multiplied by the output gradient [out channels, batch x positions],
 * one batched MatMul gives the gradient of every kernel position at once.
 *
 * <p>Why: the general form is a Conv whose "weights" are the output gradient, a graph input, so
 * ONNX Runtime can neither pack them ahead of time nor give the product a good shape (it makes
 * one [out channels x batch*positions] by [.. x kernel positions] product per input channel).
 * Joining the slices along the batch axis keeps every copy a long contiguous run, where joining
 * them along the channel axis would copy one channel vector at a time. Measured with ORT
 * 1.29 on one thread, batch 64, 3x3 kernel: 16 to 32 channels over 8x8 (the digits CNN's
 * second convolution) ~380 against ~870 us; over 16x16 ~2.4 against ~3.8 ms; 1 to 16 channels
 * over 8x8 about even (~60 us).
 *
 * <p>It applies to ungrouped convolutions of any spatial rank, strides, dilations and pads,
 * from opset 10 (Slice with steps), when the input's channels and spatial sizes are static
 * and the columns stay small: at most
 * {@value #MAX_COLUMN_ELEMENTS_PER_SAMPLE} elements per sample, since they copy the input once
 * per kernel position for the whole batch.
 */
final class ColumnWeightGradient {
    /** Elements of the columns per sample, 512 KiB in float: a batch of 64 then needs 32 MiB. */
    private static final long MAX_COLUMN_ELEMENTS_PER_SAMPLE = 1 << 17;

    private ColumnWeightGradient() {
    }

    /**
     * Whether the specialized form applies to the weight gradient of a convolution with
     * geometry {@code geometry} and {@code groups} that slides over {@code in} with weights
     * {@code w} (for a ConvTranspose, {@code in} is its output gradient).
     */
    static boolean fits(Value in, Value w, ConvGeometry geometry, long groups, long opset) {
        if (groups != 1 || opset < 10) {
            return false;
        }
        Optional<long[]> inSizes = ValueTypes.knownSizes(in, 1);
        Optional<long[]> weightSizes = ValueTypes.knownSizes(w, 0);
        if (inSizes.isEmpty() || weightSizes.isEmpty() || inSizes.get().length != geometry.spatialRank() + 1) {
            return false;
        }
        long perSample = inSizes.get()[0] * kernelVolume(geometry.kernel());
        for (long windows : windowCounts(inSizes.get(), geometry)) {
            perSample *= windows;
        }
        return perSample <= MAX_COLUMN_ELEMENTS_PER_SAMPLE;
    }

    /**
     * dW [w0, w1, kernel...] = the correlation of {@code in} [N, w1, ...] with {@code out}
     * [N, w0, ...]; only after {@link #fits} said yes.
     */
    static Value emit(Ops ops, Value in, Value out, Value w, ConvGeometry geometry) {
        int spatial = geometry.spatialRank();
        long outChannels = ValueTypes.requireSize(w, 0, "for the weight gradient of a convolution");
        long inChannels = ValueTypes.requireSize(w, 1, "for the weight gradient of a convolution");
        long[] windows = windowCounts(ValueTypes.knownSizes(in, 1).orElseThrow(), geometry);
        Value padded = padSpatial(ops, ops.transpose(in, channelsLast(spatial)), geometry);
        List<long[]> offsets = kernelOffsets(geometry.kernel());
        Value[] windowSlices = new Value[offsets.size()];
        for (int i = 0; i < windowSlices.length; i++) {
            windowSlices[i] = windowAt(ops, padded, offsets.get(i), windows, geometry);
        }
        // Joined along the batch axis, the slices lie one after another: [positions x N, ...] reads as [positions, N x ...].
        Value joined = windowSlices.length == 1
                ? windowSlices[0]
                : ops.op("Concat", List.of(Attribute.ofInt("axis", 0)), windowSlices);
        Value columns = ops.op("Reshape", joined, ops.int64s(windowSlices.length, -1, inChannels));
        Value outRows = ops.op("Reshape", ops.transpose(out, swapFirstTwo(spatial)), ops.int64s(outChannels, -1));
        Value perPosition = ops.op("MatMul", outRows, columns);
        Value positionsLast = ops.transpose(perPosition, 1, 2, 0);
        long[] weightShape = new long[spatial + 2];
        weightShape[0] = outChannels;
        weightShape[1] = inChannels;
        System.arraycopy(geometry.kernel(), 0, weightShape, 2, spatial);
        return ops.op("Reshape", positionsLast, ops.int64s(weightShape));
    }

    /** The windows at kernel position {@code offset}: [N, windows..., channels]. */
    private static Value windowAt(Ops ops, Value padded, long[] offset, long[] windows, ConvGeometry geometry) {
        int spatial = geometry.spatialRank();
        long[] starts = new long[spatial];
        long[] ends = new long[spatial];
        long[] axes = new long[spatial];
        for (int axis = 0; axis < spatial; axis++) {
            starts[axis] = offset[axis] * geometry.dilations()[axis];
            ends[axis] = starts[axis] + (windows[axis] - 1) * geometry.strides()[axis] + 1;
            axes[axis] = axis + 1;
        }
        return ops.slice(padded, starts, ends, axes, geometry.strides());
    }

    /** {@code x} (channels-last) with the geometry's pads on its spatial axes; itself when there are none. */
    private static Value padSpatial(Ops ops, Value x, ConvGeometry geometry) {
        int spatial = geometry.spatialRank();
        long[] pads = new long[2 * (spatial + 2)];
        boolean any = false;
        for (int axis = 0; axis < spatial; axis++) {
            pads[axis + 1] = geometry.padBegin(axis);
            pads[spatial + 2 + axis + 1] = geometry.padEnd(axis);
            any |= geometry.padBegin(axis) != 0 || geometry.padEnd(axis) != 0;
        }
        return any ? ops.padWithZeros(x, pads) : x;
    }

    /** The number of windows along each spatial axis of an input of {@code sizes} [channels, spatial...]. */
    private static long[] windowCounts(long[] sizes, ConvGeometry geometry) {
        long[] counts = new long[geometry.spatialRank()];
        for (int axis = 0; axis < counts.length; axis++) {
            long extent = (geometry.kernel()[axis] - 1) * geometry.dilations()[axis] + 1;
            long span = sizes[axis + 1] + geometry.padBegin(axis) + geometry.padEnd(axis) - extent;
            counts[axis] = span / geometry.strides()[axis] + 1;
        }
        return counts;
    }

    /** Every position in the kernel, in row-major order (the order of the weight's kernel axes). */
    private static List<long[]> kernelOffsets(long[] kernel) {
        List<long[]> offsets = new ArrayList<>();
        long[] offset = new long[kernel.length];
        for (long count = kernelVolume(kernel); count > 0; count--) {
            offsets.add(offset.clone());
            for (int axis = kernel.length - 1; axis >= 0; axis--) {
                if (++offset[axis] < kernel[axis]) {
                    break;
                }
                offset[axis] = 0;
            }
        }
        return offsets;
    }

    private static long kernelVolume(long[] kernel) {
        long volume = 1;
        for (long size : kernel) {
            volume *= size;
        }
        return volume;
    }

    /** The permutation [N, C, spatial...] to [N, spatial..., C]. */
    private static long[] channelsLast(int spatial) {
        long[] perm = new long[spatial + 2];
        for (int axis = 1; axis <= spatial; axis++) {
            perm[axis] = axis + 1;
        }
        perm[spatial + 1] = 1;
        return perm;
    }

    /** The permutation [N, C, spatial...] to [C, N, spatial...]. */
    private static long[] swapFirstTwo(int spatial) {
        long[] perm = new long[spatial + 2];
        perm[0] = 1;
        for (int axis = 2; axis < perm.length; axis++) {
            perm[axis] = axis;
        }
        return perm;
    }
}
