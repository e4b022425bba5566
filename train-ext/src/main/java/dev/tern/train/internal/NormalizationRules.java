package dev.tern.train.internal;

import dev.tern.ir.Value;

/**
 * BatchNormalization in inference form: y = (x - mean) / sqrt(var + epsilon) * scale + B with
 * the running mean and variance as constants. Gradients flow to x, scale and B; the running
 * statistics get none. The training form (training_mode = 1, or the running-statistics
 * outputs in use) is refused. LayerNormalization is expanded into primitives instead, see
 * {@link CompositeExpansion}; instance and group norms are in {@link GroupNormalizationRules}.
 *
 * <p>LpNormalization y = x / ||x||_p along an axis: dx = (g - s sum(g y)) / ||x||_p with s = y
 * for p = 2 and s = sign(x) for p = 1, the sum along the axis.
 */
final class NormalizationRules {
    private NormalizationRules() {
    }

    static void register(GradientRules rules) {
        rules.put("BatchNormalization", GradientRule.forInputs(new int[] {0, 1, 2}, NormalizationRules::batchNormalization));
        rules.put("LpNormalization", GradientRule.of(NormalizationRules::lpNormalization));
    }

    private static void lpNormalization(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value y = c.output(0);
        long[] axis = {ValueTypes.axis(c.intAttribute("axis", -1), ValueTypes.rank(x))};
        long p = c.intAttribute("p", 2);
        Value norm;
        Value direction;
        if (p == 2) {
            norm = ops.op("Sqrt", ops.reduceSum(ops.mul(x, x), axis, true));
            direction = y;
        } else if (p == 1) {
            norm = ops.reduceSum(ops.op("Abs", x), axis, true);
            direction = ops.op("Sign", x);
        } else {
            throw c.unsupported("p must be 1 or 2, found " + p);
        }
        Value along = ops.reduceSum(ops.mul(c.gradient(), y), axis, true);
        c.give(0, ops.div(ops.sub(c.gradient(), ops.mul(direction, along)), norm));
    }

    private static void batchNormalization(RuleContext c) {
        boolean extraOutputs = c.node().outputs().stream().skip(1).anyMatch(output -> output != null && output.isUsed());
        if (c.intAttribute("training_mode", 0) != 0 || extraOutputs) {
            throw c.unsupported("BatchNormalization in training mode; only the inference form has a gradient rule");
        }
        Ops ops = c.ops();
        Value x = c.input(0);
        Value g = c.gradient();
        int rank = ValueTypes.rank(x);
        Value epsilon = ops.scalarLike(c.floatAttribute("epsilon", 1e-5f), x);
        Value inverseStd = ops.op("Reciprocal", ops.op("Sqrt", ops.add(c.input(4), epsilon)));
        long[] notChannels = notChannelAxes(rank);
        if (c.wants(0)) {
            c.give(0, ops.mul(g, perChannel(ops, ops.mul(c.input(1), inverseStd), rank)));
        }
        if (c.wants(1)) {
            Value centered = ops.sub(x, perChannel(ops, c.input(3), rank));
            Value normalized = ops.mul(centered, perChannel(ops, inverseStd, rank));
            c.give(1, ops.reduceSum(ops.mul(g, normalized), notChannels, false));
        }
        if (c.wants(2)) {
            c.give(2, ops.reduceSum(g, notChannels, false));
        }
    }

    /** A [C] vector shaped [C, 1, ...] so it broadcasts over an input of {@code rank}. */
    static Value perChannel(Ops ops, Value vector, int rank) {
        if (rank <= 2) {
            return vector;
        }
        long[] axes = new long[rank - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return ops.unsqueeze(vector, axes);
    }

    static long[] notChannelAxes(int rank) {
        long[] axes = new long[rank - 1];
        for (int i = 1; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return axes;
    }
}
