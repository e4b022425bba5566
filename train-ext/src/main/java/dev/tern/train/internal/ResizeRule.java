package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resize (opset 11 and later) in every mode. Nearest, linear and cubic resizing are linear in
 * x and act on each axis separately, y = R_a x along each resized axis a, so the gradient
 * applies each R_a transposed. R_a^T comes from resizing the identity matrix I_n (n the input
 * size along a) along its second axis with the node's own mode, coordinate transformation
 * and scale (or size): row j is the resized unit vector e_j, which is column j of R_a. The
 * gradient along a is then a matrix product. This needs static input and output sizes on the
 * resized axes and constant scales when scales are given; tf_crop_and_resize and
 * aspect-ratio-keeping sizes are refused.
 */
final class ResizeRule {
    private static final List<String> PER_AXIS_ATTRIBUTES = List.of(
            "mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside", "antialias");

    private ResizeRule() {
    }

    static void register(GradientRules rules) {
        rules.put("Resize", GradientRule.forInputs(new int[] {0}, ResizeRule::resize));
    }

    private static void resize(RuleContext c) {
        requireCovered(c);
        Value x = c.input(0);
        Value y = c.output(0);
        int rank = ValueTypes.rank(x);
        long[] axes = c.intsAttribute("axes").orElse(allAxes(rank));
        Optional<float[]> scales = givenScales(c);
        Value g = c.gradient();
        for (int i = 0; i < axes.length; i++) {
            int axis = ValueTypes.axis(axes[i], rank);
            long in = ValueTypes.requireSize(x, axis, "for the gradient of Resize");
            int index = i;
            Optional<Float> scale = scales.map(s -> s[index]);
            // The output size matters only when sizes, not scales, define the resize.
            long out = scale.isPresent() ? -1 : ValueTypes.requireSize(y, axis, "for the gradient of Resize");
            if (scale.map(s -> s == 1f).orElse(in == out)) {
                continue;
            }
            Value resizeMatrix = c.ops().transpose(resizedIdentity(c, in, out, scale), 1, 0);
            g = productAlong(c.ops(), g, axis, rank, resizeMatrix);
        }
        c.give(0, g);
    }

    private static void requireCovered(RuleContext c) {
        if (c.opset() < 11) {
            throw c.unsupported("Resize gradient needs opset 11 or later; the model imports ai.onnx " + c.opset());
        }
        String transformation = c.stringAttribute("coordinate_transformation_mode", "half_pixel");
        if (transformation.equals("tf_crop_and_resize")) {
            throw c.unsupported("coordinate_transformation_mode tf_crop_and_resize has no gradient rule");
        }
        String policy = c.stringAttribute("keep_aspect_ratio_policy", "stretch");
        if (!policy.equals("stretch")) {
            throw c.unsupported("keep_aspect_ratio_policy " + policy + "; only stretch has a gradient rule");
        }
    }

    /** The scales when the node gives them (as a constant); empty when it gives sizes instead. */
    private static Optional<float[]> givenScales(RuleContext c) {
        Value scales = c.input(2);
        if (scales == null) {
            return Optional.empty();
        }
        Optional<Tensor> constant = Constants.tensor(scales);
        if (constant.isEmpty()) {
            throw c.unsupported("scales '" + scales.name() + "' computed at run time; the gradient needs them constant");
        }
        return constant.get().elementCount() == 0 ? Optional.empty() : Optional.of(constant.get().toFloatArray());
    }

    /**
     * R_a^T, [in, out]: the identity of size {@code in} resized along its second axis as the
     * node resizes axis a, by {@code scale} when given, else to size {@code out}.
     */
    private static Value resizedIdentity(RuleContext c, long in, long out, Optional<Float> scale) {
        Ops ops = c.ops();
        GraphEmitter emitter = ops.emitter();
        int n = Math.toIntExact(in);
        double[] identity = new double[n * n];
        for (int j = 0; j < n; j++) {
            identity[j * n + j] = 1;
        }
        Value eye = emitter.floats(ValueTypes.elementType(c.input(0)), new long[] {n, n}, identity);
        List<Attribute> attributes = new ArrayList<>();
        for (String name : PER_AXIS_ATTRIBUTES) {
            c.node().attribute(name).ifPresent(attributes::add);
        }
        // Before opset 13 roi and scales are required inputs, empty when unused.
        Value unused = c.opset() < 13 ? emitter.floats(ElementType.FLOAT, new long[] {0}) : null;
        if (scale.isPresent()) {
            Value scales = emitter.floats(ElementType.FLOAT, new long[] {2}, 1, scale.get());
            return ops.op("Resize", attributes, eye, unused, scales);
        }
        return ops.op("Resize", attributes, eye, unused, unused, ops.int64s(in, out));
    }

    /** {@code g} with its axis {@code axis} (size out) multiplied by {@code matrix} [out, in]. */
    private static Value productAlong(Ops ops, Value g, int axis, int rank, Value matrix) {
        if (axis == rank - 1) {
            return ops.op("MatMul", g, matrix);
        }
        long[] toLast = new long[rank];
        long[] back = new long[rank];
        int next = 0;
        for (int i = 0; i < rank; i++) {
            if (i != axis) {
                toLast[next++] = i;
            }
        }
        toLast[rank - 1] = axis;
        for (int i = 0; i < rank; i++) {
            back[(int) toLast[i]] = i;
        }
        return ops.transpose(ops.op("MatMul", ops.transpose(g, toLast), matrix), back);
    }

    private static long[] allAxes(int rank) {
        long[] axes = new long[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        return axes;
    }
}
