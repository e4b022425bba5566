package dev.tern.train.internal;

import dev.tern.ir.Value;

/**
 * InstanceNormalization and GroupNormalization: x [N, C, ...] viewed as [N, G, M] (G = C for
 * instance norm), each of the N G rows standardized, xhat = (x - mean) / sqrt(var + epsilon),
 * then scaled and shifted. With dxhat the gradient reaching xhat, the standardization's
 * gradient is dx = (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) / sqrt(var + epsilon), means
 * over each row. Scale and bias are per channel ([C]), except GroupNormalization before opset
 * 21, where they are per group ([G]). The statistics are recomputed from x in x's type
 * (GroupNormalization-21's stash_type is not honoured).
 */
final class GroupNormalizationRules {
    private static final long[] ROW = {2};

    private GroupNormalizationRules() {
    }

    static void register(GradientRules rules) {
        rules.put("InstanceNormalization", GradientRule.forInputs(new int[] {0, 1, 2},
                c -> normalize(c, ValueTypes.requireSize(c.input(0), 1, "for the gradient of InstanceNormalization"),
                        true)));
        rules.put("GroupNormalization", GradientRule.forInputs(new int[] {0, 1, 2},
                c -> normalize(c, c.intAttribute("num_groups", -1), c.opset() >= 21)));
    }

    private static void normalize(RuleContext c, long groups, boolean perChannel) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value rowShape = ops.int64s(0, groups, -1);
        Value rows = ops.op("Reshape", x, rowShape);
        Value centered = ops.sub(rows, ops.reduceMean(rows, ROW, true));
        Value variance = ops.reduceMean(ops.mul(centered, centered), ROW, true);
        Value epsilon = ops.scalarLike(c.floatAttribute("epsilon", 1e-5f), x);
        Value inverseStd = ops.op("Reciprocal", ops.op("Sqrt", ops.add(variance, epsilon)));
        Value standardized = ops.mul(centered, inverseStd);
        Value g = c.gradient();
        Value standardizedGradient;
        if (perChannel) {
            int rank = ValueTypes.rank(x);
            standardizedGradient = ops.op("Reshape", ops.mul(g, NormalizationRules.perChannel(ops, c.input(1), rank)),
                    rowShape);
            if (c.wants(1)) {
                Value xhat = ops.reshapeLike(standardized, x);
                c.give(1, ops.reduceSum(ops.mul(g, xhat), NormalizationRules.notChannelAxes(rank), false));
            }
            if (c.wants(2)) {
                c.give(2, ops.reduceSum(g, NormalizationRules.notChannelAxes(rank), false));
            }
        } else {
            Value gRows = ops.op("Reshape", g, rowShape);
            standardizedGradient = ops.mul(gRows, ops.unsqueeze(c.input(1), 1));
            if (c.wants(1)) {
                c.give(1, ops.reduceSum(ops.mul(gRows, standardized), new long[] {0, 2}, false));
            }
            if (c.wants(2)) {
                c.give(2, ops.reduceSum(gRows, new long[] {0, 2}, false));
            }
        }
        if (c.wants(0)) {
            Value meanGradient = ops.reduceMean(standardizedGradient, ROW, true);
            Value projection = ops.mul(standardized,
                    ops.reduceMean(ops.mul(standardizedGradient, standardized), ROW, true));
            Value rowsGradient = ops.mul(ops.sub(ops.sub(standardizedGradient, meanGradient), projection), inverseStd);
            c.give(0, ops.reshapeLike(rowsGradient, x));
        }
    }
}
