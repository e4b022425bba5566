package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Value;

import java.util.Arrays;
import java.util.List;

/**
 * Ops that place, repeat or accumulate elements along axes: Pad (constant mode), Tile and
 * CumSum. Each gradient is the adjoint op: a Pad by the negated pads (cropping what was
 * added, zero-padding what was cropped), the sum over the copies a Tile made, and a CumSum
 * running the other way.
 */
final class LayoutRules {
    private LayoutRules() {
    }

    static void register(GradientRules rules) {
        rules.put("Pad", GradientRule.forInputs(new int[] {0}, LayoutRules::pad));
        rules.put("Tile", GradientRule.forInputs(new int[] {0}, LayoutRules::tile));
        rules.put("CumSum", GradientRule.forInputs(new int[] {0}, LayoutRules::cumSum));
    }

    private static void pad(RuleContext c) {
        String mode = c.stringAttribute("mode", "constant");
        if (!mode.equals("constant")) {
            throw c.unsupported("Pad in mode \"" + mode + "\"; only constant padding has a gradient rule");
        }
        Ops ops = c.ops();
        if (c.opset() < 11) {
            long[] negated = Arrays.stream(c.intsAttribute("pads").orElseThrow()).map(p -> -p).toArray();
            c.give(0, ops.padWithZeros(c.gradient(), negated));
            return;
        }
        Value negated = ops.neg(c.input(1));
        Value axes = c.input(3);
        c.give(0, axes == null ? ops.op("Pad", c.gradient(), negated) : ops.op("Pad", c.gradient(), negated, null, axes));
    }

    /**
     * Tile copies x r_i times along each axis i: the gradient, viewed as [r_0, d_0, r_1, d_1,
     * ...] with d_i x's sizes, summed over the copy axes.
     */
    private static void tile(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        int rank = ValueTypes.rank(x);
        Value pairs = ops.op("Concat", List.of(Attribute.ofInt("axis", 1)),
                ops.unsqueeze(c.input(1), 1), ops.unsqueeze(ops.shape(x), 1));
        Value copies = ops.op("Reshape", c.gradient(), ops.op("Reshape", pairs, ops.int64s(-1)));
        long[] copyAxes = new long[rank];
        for (int axis = 0; axis < rank; axis++) {
            copyAxes[axis] = 2L * axis;
        }
        c.give(0, ops.reduceSum(copies, copyAxes, false));
    }

    private static void cumSum(RuleContext c) {
        List<Attribute> attributes = List.of(
                Attribute.ofInt("exclusive", c.intAttribute("exclusive", 0)),
                Attribute.ofInt("reverse", c.intAttribute("reverse", 0) == 0 ? 1 : 0));
        c.give(0, c.ops().op("CumSum", attributes, c.gradient(), c.input(1)));
    }
}
