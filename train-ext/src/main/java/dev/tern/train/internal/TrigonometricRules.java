package dev.tern.train.internal;

import dev.tern.ir.Value;

/**
 * The trigonometric and hyperbolic functions and their inverses: Sin, Cos, Tan, Atan, Sinh,
 * Cosh, Asinh, Acosh, Atanh. Tan's derivative 1 + tan^2 reuses the forward output.
 */
final class TrigonometricRules {
    private TrigonometricRules() {
    }

    static void register(GradientRules rules) {
        rules.put("Sin", GradientRule.of(c -> c.give(0, c.ops().mul(c.gradient(), c.ops().op("Cos", c.input(0))))));
        rules.put("Cos", GradientRule.of(c -> c.give(0, c.ops().neg(c.ops().mul(c.gradient(), c.ops().op("Sin", c.input(0)))))));
        rules.put("Tan", GradientRule.of(TrigonometricRules::tan));
        rules.put("Sinh", GradientRule.of(c -> c.give(0, c.ops().mul(c.gradient(), c.ops().op("Cosh", c.input(0))))));
        rules.put("Cosh", GradientRule.of(c -> c.give(0, c.ops().mul(c.gradient(), c.ops().op("Sinh", c.input(0))))));
        rules.put("Atan", GradientRule.of(c -> c.give(0, c.ops().div(c.gradient(), onePlusSquare(c.ops(), c.input(0), 1)))));
        rules.put("Atanh", GradientRule.of(c -> c.give(0, c.ops().div(c.gradient(), onePlusSquare(c.ops(), c.input(0), -1)))));
        rules.put("Asinh", GradientRule.of(c -> c.give(0, overSquareRoot(c, 1))));
        rules.put("Acosh", GradientRule.of(c -> c.give(0, overSquareRoot(c, -1))));
    }

    /** d tan = 1 + y^2. */
    private static void tan(RuleContext c) {
        Ops ops = c.ops();
        Value y = c.output(0);
        c.give(0, ops.mul(c.gradient(), ops.add(ops.scalarLike(1, y), ops.mul(y, y))));
    }

    /** 1 + sign x^2: the denominators of atan (+) and atanh (-). */
    private static Value onePlusSquare(Ops ops, Value x, double sign) {
        Value square = ops.mul(x, x);
        return sign > 0 ? ops.add(ops.scalarLike(1, x), square) : ops.sub(ops.scalarLike(1, x), square);
    }

    /** g / sqrt(x^2 + constant): asinh with constant 1, acosh with -1. */
    private static Value overSquareRoot(RuleContext c, double constant) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value root = ops.op("Sqrt", ops.add(ops.mul(x, x), ops.scalarLike(constant, x)));
        return ops.div(c.gradient(), root);
    }
}
