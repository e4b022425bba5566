package dev.tern.train.internal;

import dev.tern.ir.Value;

/**
 * Activation functions beyond the basic ones of {@link UnaryRules}: Softplus, Softsign, Selu,
 * Celu, Mish, HardSigmoid, HardSwish, ThresholdedRelu and PRelu (whose slope is trainable and
 * broadcasts against x). Where the derivative can be written with the forward output (Selu,
 * Celu) it is. At a kink the derivative taken is the one of the side {@code x > threshold},
 * and the flat parts of HardSigmoid and HardSwish include their end points, like PyTorch.
 */
final class ActivationRules {
    private static final float SELU_ALPHA = 1.67326319217681884765625f;
    private static final float SELU_GAMMA = 1.05070102214813232421875f;

    private ActivationRules() {
    }

    static void register(GradientRules rules) {
        rules.put("Softplus", GradientRule.of(c -> c.give(0, c.ops().mul(c.gradient(), c.ops().op("Sigmoid", c.input(0))))));
        rules.put("Softsign", GradientRule.of(ActivationRules::softsign));
        rules.put("Selu", GradientRule.of(ActivationRules::selu));
        rules.put("Celu", GradientRule.of(ActivationRules::celu));
        rules.put("Mish", GradientRule.of(ActivationRules::mish));
        rules.put("HardSigmoid", GradientRule.of(ActivationRules::hardSigmoid));
        rules.put("HardSwish", GradientRule.of(ActivationRules::hardSwish));
        rules.put("ThresholdedRelu", GradientRule.of(ActivationRules::thresholdedRelu));
        rules.put("PRelu", GradientRule.of(ActivationRules::prelu));
    }

    /** d x / (1 + |x|) = 1 / (1 + |x|)^2. */
    private static void softsign(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value denominator = ops.add(ops.scalarLike(1, x), ops.op("Abs", x));
        c.give(0, ops.div(c.gradient(), ops.mul(denominator, denominator)));
    }

    /** For x <= 0, y = gamma alpha (e^x - 1), so dy/dx = y + gamma alpha; for x > 0, gamma. */
    private static void selu(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        double alpha = c.floatAttribute("alpha", SELU_ALPHA);
        double gamma = c.floatAttribute("gamma", SELU_GAMMA);
        Value negativeSlope = ops.add(c.output(0), ops.scalarLike(gamma * alpha, x));
        c.give(0, ops.mul(c.gradient(), whereAbove(c, 0, ops.scalarLike(gamma, x), negativeSlope)));
    }

    /** For x <= 0, y = alpha (e^(x/alpha) - 1), so dy/dx = e^(x/alpha) = y / alpha + 1; for x > 0, 1. */
    private static void celu(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        double alpha = c.floatAttribute("alpha", 1.0f);
        Value negativeSlope = ops.add(ops.div(c.output(0), ops.scalarLike(alpha, x)), ops.scalarLike(1, x));
        c.give(0, ops.mul(c.gradient(), whereAbove(c, 0, ops.scalarLike(1, x), negativeSlope)));
    }

    /** y = x tanh(softplus(x)): dy/dx = t + x (1 - t^2) sigmoid(x) with t = tanh(softplus(x)). */
    private static void mish(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value t = ops.op("Tanh", ops.op("Softplus", x));
        Value sech2 = ops.sub(ops.scalarLike(1, x), ops.mul(t, t));
        Value slope = ops.add(t, ops.mul(ops.mul(x, sech2), ops.op("Sigmoid", x)));
        c.give(0, ops.mul(c.gradient(), slope));
    }

    /** y = max(0, min(1, alpha x + beta)): alpha where 0 < alpha x + beta < 1, else 0. */
    private static void hardSigmoid(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        double alpha = c.floatAttribute("alpha", 0.2f);
        double beta = c.floatAttribute("beta", 0.5f);
        Value linear = ops.add(ops.mul(x, ops.scalarLike(alpha, x)), ops.scalarLike(beta, x));
        Value inside = strictlyBetween(ops, linear, 0, 1, x);
        Value slope = ops.op("Where", inside, ops.scalarLike(alpha, x), ops.scalarLike(0, x));
        c.give(0, ops.mul(c.gradient(), slope));
    }

    /** y = x max(0, min(1, x / 6 + 1/2)): 0 for x <= -3, 1 for x >= 3, x / 3 + 1/2 between. */
    private static void hardSwish(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value middle = ops.add(ops.div(x, ops.scalarLike(3, x)), ops.scalarLike(0.5, x));
        Value aboveLow = ops.op("Where", strictlyBetween(ops, x, -3, 3, x), middle, ops.scalarLike(0, x));
        Value slope = whereAbove(c, 3, ops.scalarLike(1, x), aboveLow);
        c.give(0, ops.mul(c.gradient(), slope));
    }

    /** y = x where x > alpha, else 0. */
    private static void thresholdedRelu(RuleContext c) {
        Ops ops = c.ops();
        double alpha = c.floatAttribute("alpha", 1.0f);
        c.give(0, whereAbove(c, alpha, c.gradient(), ops.scalarLike(0, c.input(0))));
    }

    /** y = x where x > 0, else slope x: dy/dx = 1 or slope; dy/dslope = 0 or x, summed over where slope was broadcast. */
    private static void prelu(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value zero = ops.scalarLike(0, x);
        if (c.wants(0)) {
            Value scaled = ops.mul(c.gradient(), c.input(1));
            c.give(0, whereAbove(c, 0, c.gradient(), scaled));
        }
        if (c.wants(1)) {
            Value negativePart = whereAbove(c, 0, zero, x);
            ArithmeticRules.giveBroadcast(c, 1, ops.mul(c.gradient(), negativePart));
        }
    }

    /** {@code ifAbove} where the node's input is above {@code threshold}, else {@code otherwise}. */
    private static Value whereAbove(RuleContext c, double threshold, Value ifAbove, Value otherwise) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value above = ops.op("Greater", x, ops.scalarLike(threshold, x));
        return ops.op("Where", above, ifAbove, otherwise);
    }

    /** Whether low < v < high, with the bounds typed like {@code like}. */
    private static Value strictlyBetween(Ops ops, Value v, double low, double high, Value like) {
        Value aboveLow = ops.op("Greater", v, ops.scalarLike(low, like));
        Value belowHigh = ops.op("Less", v, ops.scalarLike(high, like));
        return ops.op("And", aboveLow, belowHigh);
    }
}
