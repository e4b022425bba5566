package dev.tern.train.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Value;

import java.util.List;
import java.util.OptionalDouble;

/** Broadcasting binary arithmetic: Add, Sub, Mul, Div, Pow. Each gradient is summed back to its operand's shape. */
final class ArithmeticRules {
    private ArithmeticRules() {
    }

    static void register(GradientRules rules) {
        rules.put("Add", GradientRule.of(ArithmeticRules::add));
        rules.put("Sub", GradientRule.of(ArithmeticRules::sub));
        rules.put("Mul", GradientRule.of(ArithmeticRules::mul));
        rules.put("Div", GradientRule.of(ArithmeticRules::div));
        rules.put("Pow", GradientRule.of(ArithmeticRules::pow));
    }

    private static void add(RuleContext c) {
        giveBroadcast(c, 0, c.gradient());
        giveBroadcast(c, 1, c.gradient());
    }

    private static void sub(RuleContext c) {
        giveBroadcast(c, 0, c.gradient());
        if (c.wants(1)) {
            giveBroadcast(c, 1, c.ops().neg(c.gradient()));
        }
    }

    private static void mul(RuleContext c) {
        Ops ops = c.ops();
        if (c.wants(0)) {
            giveBroadcast(c, 0, ops.mul(c.gradient(), c.input(1)));
        }
        if (c.wants(1)) {
            giveBroadcast(c, 1, ops.mul(c.gradient(), c.input(0)));
        }
    }

    /** d(a/b)/da = 1/b; d(a/b)/db = -(a/b)/b, reusing the forward result. */
    private static void div(RuleContext c) {
        Ops ops = c.ops();
        if (c.wants(0)) {
            giveBroadcast(c, 0, ops.div(c.gradient(), c.input(1)));
        }
        if (c.wants(1)) {
            Value quotientOverDivisor = ops.div(c.output(0), c.input(1));
            giveBroadcast(c, 1, ops.neg(ops.mul(c.gradient(), quotientOverDivisor)));
        }
    }

    /** d(a^b)/da = b a^(b-1); d(a^b)/db = a^b ln a. An integer exponent is cast to the base's type first. */
    private static void pow(RuleContext c) {
        Ops ops = c.ops();
        Value base = c.input(0);
        if (c.wants(0)) {
            OptionalDouble constant = c.wants(1) ? OptionalDouble.empty() : Constants.realScalar(c.input(1));
            Value slope = constant.isPresent()
                    ? constantPowerSlope(ops, base, constant.getAsDouble())
                    : powerSlope(ops, base, c.input(1));
            giveBroadcast(c, 0, ops.mul(c.gradient(), slope));
        }
        if (c.wants(1)) {
            Value logBase = ops.op("Log", base);
            giveBroadcast(c, 1, ops.mul(c.gradient(), ops.mul(c.output(0), logBase)));
        }
    }

    /** e x^(e - 1) for a run-time exponent e. */
    private static Value powerSlope(Ops ops, Value base, Value exponent) {
        ElementType baseType = ValueTypes.elementType(base);
        Value e = ValueTypes.elementType(exponent) == baseType ? exponent : ops.cast(exponent, baseType);
        return ops.mul(e, ops.op("Pow", base, ops.sub(e, ops.scalarLike(1, base))));
    }

    /**
     * e x^(e - 1) for an exponent fixed in the graph. Squares (layer norms' variance) are the
     * common case, and ONNX Runtime's Pow is several times slower than a Mul, so e = 2 and
     * e = 1 avoid Pow altogether.
     */
    private static Value constantPowerSlope(Ops ops, Value base, double exponent) {
        if (exponent == 1) {
            return ops.scalarLike(1, base);
        }
        if (exponent == 2) {
            return ops.mul(base, ops.scalarLike(2, base));
        }
        return ops.mul(ops.scalarLike(exponent, base), ops.op("Pow", base, ops.scalarLike(exponent - 1, base)));
    }

    /** Gives input {@code index} the gradient {@code g}, computed at the broadcast shape of all inputs, summed to its shape. */
    static void giveBroadcast(RuleContext c, int index, Value g) {
        if (!c.wants(index)) {
            return;
        }
        List<Dim> gDims = Ops.broadcastDims(c.node().inputs());
        c.give(index, c.ops().sumTo(g, gDims, c.input(index)));
    }
}
