package dev.tern.train.internal;

import dev.tern.ir.Value;

/**
 * Elementwise functions of one tensor: Neg, Sqrt, Exp, Log, Abs, Reciprocal, Erf, Sigmoid,
 * Tanh, Relu, LeakyRelu, Elu, Clip. Where the derivative can be written with the forward
 * output (Exp, Sqrt, Sigmoid, Tanh, Reciprocal, Elu) it is, so nothing is recomputed.
 * At a kink (Relu, LeakyRelu, Abs at 0; Clip at its bounds) the derivative taken is the
 * one of the side {@code x > 0} or "inside the bounds", like PyTorch.
 */
final class UnaryRules {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private UnaryRules() {
    }

    static void register(GradientRules rules) {
        rules.put("Neg", GradientRule.of(c -> c.give(0, c.ops().neg(c.gradient()))));
        rules.put("Sqrt", GradientRule.of(UnaryRules::sqrt));
        rules.put("Exp", GradientRule.of(c -> c.give(0, c.ops().mul(c.gradient(), c.output(0)))));
        rules.put("Log", GradientRule.of(c -> c.give(0, c.ops().div(c.gradient(), c.input(0)))));
        rules.put("Abs", GradientRule.of(c -> c.give(0, c.ops().mul(c.gradient(), c.ops().op("Sign", c.input(0))))));
        rules.put("Reciprocal", GradientRule.of(UnaryRules::reciprocal));
        rules.put("Erf", GradientRule.of(UnaryRules::erf));
        rules.put("Sigmoid", GradientRule.of(UnaryRules::sigmoid));
        rules.put("Tanh", GradientRule.of(UnaryRules::tanh));
        rules.put("Relu", GradientRule.of(c -> c.give(0, whereInputPositive(c, c.gradient(), c.ops().scalarLike(0, c.input(0))))));
        rules.put("LeakyRelu", GradientRule.of(UnaryRules::leakyRelu));
        rules.put("Elu", GradientRule.of(UnaryRules::elu));
        rules.put("Clip", GradientRule.forInputs(new int[] {0}, UnaryRules::clip));
    }

    /** d sqrt(x) = 0.5 / sqrt(x). */
    private static void sqrt(RuleContext c) {
        Ops ops = c.ops();
        Value half = ops.scalarLike(0.5, c.input(0));
        c.give(0, ops.div(ops.mul(c.gradient(), half), c.output(0)));
    }

    /** d (1/x) = -1/x^2 = -y^2. */
    private static void reciprocal(RuleContext c) {
        Ops ops = c.ops();
        Value y = c.output(0);
        c.give(0, ops.neg(ops.mul(c.gradient(), ops.mul(y, y))));
    }

    /** d erf(x) = 2/sqrt(pi) exp(-x^2). */
    private static void erf(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value density = ops.op("Exp", ops.neg(ops.mul(x, x)));
        c.give(0, ops.mul(c.gradient(), ops.mul(density, ops.scalarLike(TWO_OVER_SQRT_PI, x))));
    }

    /** d sigmoid = y (1 - y). */
    private static void sigmoid(RuleContext c) {
        Ops ops = c.ops();
        Value y = c.output(0);
        Value slope = ops.mul(y, ops.sub(ops.scalarLike(1, y), y));
        c.give(0, ops.mul(c.gradient(), slope));
    }

    /** d tanh = 1 - y^2. */
    private static void tanh(RuleContext c) {
        Ops ops = c.ops();
        Value y = c.output(0);
        c.give(0, ops.mul(c.gradient(), ops.sub(ops.scalarLike(1, y), ops.mul(y, y))));
    }

    private static void leakyRelu(RuleContext c) {
        Ops ops = c.ops();
        double alpha = c.floatAttribute("alpha", 0.01f);
        Value scaled = ops.mul(c.gradient(), ops.scalarLike(alpha, c.input(0)));
        c.give(0, whereInputPositive(c, c.gradient(), scaled));
    }

    /** For x <= 0, y = alpha (e^x - 1), so dy/dx = e^x alpha = y + alpha. */
    private static void elu(RuleContext c) {
        Ops ops = c.ops();
        double alpha = c.floatAttribute("alpha", 1.0f);
        Value negativeSlope = ops.add(c.output(0), ops.scalarLike(alpha, c.input(0)));
        c.give(0, whereInputPositive(c, c.gradient(), ops.mul(c.gradient(), negativeSlope)));
    }

    /** The gradient passes where min <= x <= max; bounds are attributes before opset 11 and optional inputs from it. */
    private static void clip(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value min;
        Value max;
        if (c.opset() < 11) {
            min = ops.scalarLike(c.floatAttribute("min", -Float.MAX_VALUE), x);
            max = ops.scalarLike(c.floatAttribute("max", Float.MAX_VALUE), x);
        } else {
            min = c.input(1);
            max = c.input(2);
        }
        Value inside = null;
        if (min != null) {
            inside = ops.op("Not", ops.op("Less", x, min));
        }
        if (max != null) {
            Value belowMax = ops.op("Not", ops.op("Greater", x, max));
            inside = inside == null ? belowMax : ops.op("And", inside, belowMax);
        }
        if (inside == null) {
            c.give(0, c.gradient());
            return;
        }
        c.give(0, ops.op("Where", inside, c.gradient(), ops.scalarLike(0, x)));
    }

    /** {@code ifPositive} where the node's input is above zero, else {@code otherwise}. */
    private static Value whereInputPositive(RuleContext c, Value ifPositive, Value otherwise) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value positive = ops.op("Greater", x, ops.scalarLike(0, x));
        return ops.op("Where", positive, ifPositive, otherwise);
    }
}
