package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Conv and ConvTranspose of any spatial rank, with groups, strides, pads and dilations.
 * They are adjoint: the input gradient of one is the other op with the same weights, and
 * both weight gradients are a correlation of the input with the output gradient: in general
 * a Conv in which the roles of stride and dilation swap, in the specialized form one matrix
 * product over im2col columns ({@link ColumnWeightGradient}).
 */
final class ConvRules {
    private ConvRules() {
    }

    static void register(GradientRules rules) {
        rules.put("Conv", GradientRule.of(ConvRules::conv));
        rules.put("ConvTranspose", GradientRule.of(ConvRules::convTranspose));
    }

    private static void conv(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value w = c.input(1);
        Value g = c.gradient();
        ConvGeometry geometry = ConvGeometry.of(c, kernel(w), x);
        long groups = c.intAttribute("group", 1);
        if (c.wants(0)) {
            List<Attribute> attributes = new ArrayList<>(attributes(geometry, groups));
            attributes.add(Attribute.ofInts("output_padding", geometry.outputPaddingToRestore(c, x)));
            c.give(0, ops.op("ConvTranspose", attributes, g, w));
        }
        if (c.wants(1)) {
            c.give(1, weightGradient(c, x, g, w, geometry, groups));
        }
        if (c.wants(2)) {
            c.give(2, biasGradient(ops, g, geometry.spatialRank()));
        }
    }

    /** ConvTranspose with explicit pads (or none); output_shape and SAME padding are not covered. */
    private static void convTranspose(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value w = c.input(1);
        Value g = c.gradient();
        if (c.node().attribute("output_shape").isPresent()) {
            throw c.unsupported("ConvTranspose with output_shape; give pads and output_padding instead");
        }
        String autoPad = c.stringAttribute("auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            throw c.unsupported("ConvTranspose with auto_pad " + autoPad + "; give explicit pads instead");
        }
        ConvGeometry geometry = ConvGeometry.of(c, kernel(w), x);
        long groups = c.intAttribute("group", 1);
        if (c.wants(0)) {
            c.give(0, ops.op("Conv", attributes(geometry, groups), g, w));
        }
        if (c.wants(1)) {
            c.give(1, weightGradient(c, g, x, w, geometry, groups));
        }
        if (c.wants(2)) {
            c.give(2, biasGradient(ops, g, geometry.spatialRank()));
        }
    }

    /** The weight gradient in its specialized form ({@link ColumnWeightGradient}) where that applies, else in the general one. */
    private static Value weightGradient(RuleContext c, Value in, Value out, Value w, ConvGeometry geometry, long groups) {
        if (c.allowsSpecializedForms() && ColumnWeightGradient.fits(in, w, geometry, groups, c.opset())) {
            return ColumnWeightGradient.emit(c.ops(), in, out, w, geometry);
        }
        return correlationWeightGradient(c.ops(), in, out, w, geometry, groups);
    }

    /**
     * dW[m, c, k] = sum over n and p of out[n, m, p] * in[n, group(m) * Cg + c, p*stride + k*dilation - pad]:
     * a grouped Conv of {@code in} regrouped to [Cg, groups*N, spatial] with {@code out} as
     * weights [M, N, spatial], stride and dilation swapped; the result [Cg, M, k'] is cut to
     * the kernel size (a stride that does not divide the span leaves extra positions) and
     * transposed to [M, Cg, k].
     */
    private static Value correlationWeightGradient(Ops ops, Value in, Value out, Value w, ConvGeometry geometry, long groups) {
        int spatial = geometry.spatialRank();
        long channelsPerGroup = ValueTypes.requireSize(w, 1, "for the weight gradient of a convolution");
        long[] swapFirstTwo = swapFirstTwo(spatial + 2);
        Value regrouped;
        if (groups == 1) {
            regrouped = ops.transpose(in, swapFirstTwo);
        } else {
            Value spatialShape = ops.slice(ops.shape(in), new long[] {2}, new long[] {Long.MAX_VALUE}, new long[] {0});
            Value split = ops.op("Reshape", in, concat(ops, ops.int64s(0, groups, channelsPerGroup), spatialShape));
            long[] perm = new long[spatial + 3];
            perm[0] = 2;
            perm[1] = 1;
            perm[2] = 0;
            for (int axis = 3; axis < perm.length; axis++) {
                perm[axis] = axis;
            }
            Value channelsFirst = ops.transpose(split, perm);
            regrouped = ops.op("Reshape", channelsFirst, concat(ops, ops.int64s(channelsPerGroup, -1), spatialShape));
        }
        Value filters = ops.transpose(out, swapFirstTwo);
        List<Attribute> attributes = List.of(
                Attribute.ofInt("group", groups),
                Attribute.ofInts("strides", geometry.dilations()),
                Attribute.ofInts("dilations", geometry.strides()),
                Attribute.ofInts("pads", geometry.pads()));
        Value correlation = ops.op("Conv", attributes, regrouped, filters);
        if (!geometry.hasUnitStrides()) {
            long[] starts = new long[spatial];
            long[] axes = new long[spatial];
            for (int axis = 0; axis < spatial; axis++) {
                axes[axis] = axis + 2;
            }
            correlation = ops.slice(correlation, starts, geometry.kernel(), axes);
        }
        return ops.transpose(correlation, swapFirstTwo);
    }

    /** The bias gradient: the output gradient summed over batch and spatial axes. */
    private static Value biasGradient(Ops ops, Value g, int spatialRank) {
        long[] axes = new long[spatialRank + 1];
        for (int i = 1; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return ops.reduceSum(g, axes, false);
    }

    private static List<Attribute> attributes(ConvGeometry geometry, long groups) {
        return List.of(
                Attribute.ofInt("group", groups),
                Attribute.ofInts("kernel_shape", geometry.kernel()),
                Attribute.ofInts("strides", geometry.strides()),
                Attribute.ofInts("dilations", geometry.dilations()),
                Attribute.ofInts("pads", geometry.pads()));
    }

    /** The kernel's spatial sizes, from the weight's static shape. */
    private static long[] kernel(Value w) {
        int rank = ValueTypes.rank(w);
        long[] kernel = new long[rank - 2];
        for (int axis = 2; axis < rank; axis++) {
            kernel[axis - 2] = ValueTypes.requireSize(w, axis, "(the kernel size) for a convolution gradient");
        }
        return kernel;
    }

    private static long[] swapFirstTwo(int rank) {
        long[] perm = new long[rank];
        Arrays.setAll(perm, i -> i);
        perm[0] = 1;
        perm[1] = 0;
        return perm;
    }

    private static Value concat(Ops ops, Value first, Value second) {
        return ops.op("Concat", List.of(Attribute.ofInt("axis", 0)), first, second);
    }
}
