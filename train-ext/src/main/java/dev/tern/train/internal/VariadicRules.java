package dev.tern.train.internal;

import dev.tern.ir.Value;

/**
 * The elementwise ops over any number of broadcasting inputs: Sum, Mean, Max, Min. Each
 * input's gradient is summed back to its own shape. Max and Min pass the gradient to the
 * inputs that equal the result, split evenly among them where several tie, so the
 * gradients still add up to the output's.
 */
final class VariadicRules {
    private VariadicRules() {
    }

    static void register(GradientRules rules) {
        rules.put("Sum", GradientRule.of(c -> spread(c, c.gradient())));
        rules.put("Mean", GradientRule.of(VariadicRules::mean));
        rules.put("Max", GradientRule.of(VariadicRules::extreme));
        rules.put("Min", GradientRule.of(VariadicRules::extreme));
    }

    private static void mean(RuleContext c) {
        Value count = c.ops().scalarLike(c.node().inputs().size(), c.output(0));
        spread(c, c.ops().div(c.gradient(), count));
    }

    /** Gives every input {@code g}, computed at the broadcast shape. */
    private static void spread(RuleContext c, Value g) {
        for (int i = 0; i < c.node().inputs().size(); i++) {
            ArithmeticRules.giveBroadcast(c, i, g);
        }
    }

    private static void extreme(RuleContext c) {
        Ops ops = c.ops();
        Value y = c.output(0);
        int count = c.node().inputs().size();
        Value[] chosen = new Value[count];
        Value ties = null;
        for (int i = 0; i < count; i++) {
            chosen[i] = ops.cast(ops.op("Equal", c.input(i), y), ValueTypes.elementType(y));
            ties = ties == null ? chosen[i] : ops.add(ties, chosen[i]);
        }
        Value share = ops.div(c.gradient(), ties);
        for (int i = 0; i < count; i++) {
            if (c.wants(i)) {
                ArithmeticRules.giveBroadcast(c, i, ops.mul(share, chosen[i]));
            }
        }
    }
}
