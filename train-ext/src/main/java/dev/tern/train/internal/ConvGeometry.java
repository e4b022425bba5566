package dev.tern.train.internal;

import dev.tern.ir.Value;

import java.util.Arrays;

/**
 * The spatial attributes of a Conv, ConvTranspose or pooling node with defaults filled in:
 * kernel sizes, strides, dilations and explicit pads (begin values, then end values). SAME
 * auto-padding is resolved to explicit pads from the input's static spatial sizes.
 */
record ConvGeometry(long[] kernel, long[] strides, long[] dilations, long[] pads) {
    int spatialRank() {
        return kernel.length;
    }

    long padBegin(int axis) {
        return pads[axis];
    }

    long padEnd(int axis) {
        return pads[axis + kernel.length];
    }

    boolean hasUnitStrides() {
        return Arrays.stream(strides).allMatch(s -> s == 1);
    }

    /** The geometry of {@code c}'s node with kernel sizes {@code kernel}, reading {@code x}'s sizes for SAME padding. */
    static ConvGeometry of(RuleContext c, long[] kernel, Value x) {
        int rank = kernel.length;
        long[] strides = c.intsAttribute("strides").orElse(ones(rank));
        long[] dilations = c.intsAttribute("dilations").orElse(ones(rank));
        String autoPad = c.stringAttribute("auto_pad", "NOTSET");
        long[] pads = switch (autoPad) {
            case "NOTSET" -> c.intsAttribute("pads").orElse(new long[2 * rank]);
            case "VALID" -> new long[2 * rank];
            case "SAME_UPPER", "SAME_LOWER" -> samePads(c, kernel, strides, dilations, x, autoPad.equals("SAME_UPPER"));
            default -> throw c.unsupported("unknown auto_pad '" + autoPad + "'");
        };
        return new ConvGeometry(kernel, strides, dilations, pads);
    }

    /**
     * The output_padding a ConvTranspose needs to give back an input of {@code x}'s spatial
     * sizes: the positions the forward op's stride skipped at the end. Zero with unit strides;
     * otherwise the sizes must be static.
     */
    long[] outputPaddingToRestore(RuleContext c, Value x) {
        long[] outputPadding = new long[spatialRank()];
        if (hasUnitStrides()) {
            return outputPadding;
        }
        for (int axis = 0; axis < spatialRank(); axis++) {
            long size = ValueTypes.requireSize(x, axis + 2, "for the gradient of a strided node " + c.node().describe());
            long span = size + padBegin(axis) + padEnd(axis) - dilations[axis] * (kernel[axis] - 1) - 1;
            outputPadding[axis] = span % strides[axis];
        }
        return outputPadding;
    }

    private static long[] samePads(RuleContext c, long[] kernel, long[] strides, long[] dilations, Value x, boolean upper) {
        int rank = kernel.length;
        long[] pads = new long[2 * rank];
        for (int axis = 0; axis < rank; axis++) {
            long size = ValueTypes.requireSize(x, axis + 2, "to resolve SAME padding of " + c.node().describe());
            long output = (size + strides[axis] - 1) / strides[axis];
            long total = Math.max(0, (output - 1) * strides[axis] + (kernel[axis] - 1) * dilations[axis] + 1 - size);
            long smaller = total / 2;
            pads[axis] = upper ? smaller : total - smaller;
            pads[axis + rank] = upper ? total - smaller : smaller;
        }
        return pads;
    }

    static long[] ones(int rank) {
        long[] result = new long[rank];
        Arrays.fill(result, 1);
        return result;
    }
}
