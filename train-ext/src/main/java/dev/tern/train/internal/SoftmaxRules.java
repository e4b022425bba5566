package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Value;

import java.util.List;

/**
 * Softmax and LogSoftmax. From opset 13 they normalize along one axis (default -1); before,
 * they flatten the input to 2-D at {@code axis} (default 1) and normalize each row, so the
 * gradient is computed on that 2-D view and reshaped back.
 */
final class SoftmaxRules {
    private SoftmaxRules() {
    }

    static void register(GradientRules rules) {
        rules.put("Softmax", GradientRule.of(c -> normalized(c, SoftmaxRules::softmax)));
        rules.put("LogSoftmax", GradientRule.of(c -> normalized(c, SoftmaxRules::logSoftmax)));
    }

    /** The backward formula on gradient {@code g} and output {@code y}, normalizing along {@code axis}. */
    @FunctionalInterface
    private interface Formula {
        Value apply(Ops ops, Value g, Value y, long axis);
    }

    private static void normalized(RuleContext c, Formula formula) {
        Ops ops = c.ops();
        if (c.opset() >= 13) {
            long axis = c.intAttribute("axis", -1);
            c.give(0, formula.apply(ops, c.gradient(), c.output(0), axis));
            return;
        }
        List<Attribute> flattenAt = List.of(Attribute.ofInt("axis", c.intAttribute("axis", 1)));
        Value rowsOfG = ops.op("Flatten", flattenAt, c.gradient());
        Value rowsOfY = ops.op("Flatten", flattenAt, c.output(0));
        Value rowGradient = formula.apply(ops, rowsOfG, rowsOfY, 1);
        c.give(0, ops.reshapeLike(rowGradient, c.input(0)));
    }

    /** dx = y (g - sum(g y)). */
    private static Value softmax(Ops ops, Value g, Value y, long axis) {
        Value dot = ops.reduceSum(ops.mul(g, y), new long[] {axis}, true);
        return ops.mul(y, ops.sub(g, dot));
    }

    /** dx = g - exp(y) sum(g). */
    private static Value logSoftmax(Ops ops, Value g, Value y, long axis) {
        Value total = ops.reduceSum(g, new long[] {axis}, true);
        return ops.sub(g, ops.mul(ops.op("Exp", y), total));
    }
}
