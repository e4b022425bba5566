package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Value;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Reduce ops. The output's gradient (and, where the derivative needs it, the output
 * itself) gets the reduced axes back first when keepdims is 0, so it broadcasts against the
 * input; then each op's derivative applies elementwise:
 *
 * <ul>
 *   <li>ReduceSum: 1; ReduceMean: 1 / n, n a constant when the shapes are static and taken at
 *       run time otherwise, applied to the output's gradient before it is broadcast;</li>
 *   <li>ReduceMax, ReduceMin: 1 where x equals the result, split evenly among ties;</li>
 *   <li>ReduceLogSumExp: exp(x - y), the softmax over the reduced axes;</li>
 *   <li>ReduceL1: sign(x); ReduceL2: x / y; ReduceSumSquare: 2x;</li>
 *   <li>ReduceProd: y / x, which is undefined where an element is 0.</li>
 * </ul>
 *
 * Axes are an attribute before opset 13 (ReduceSum) or 18 (the others) and an input from it.
 */
final class ReductionRules {
    /**
     * The derivative of one reduction, given the input and the output and gradient with the
     * reduced axes kept; the output is asked for only by derivatives that read it, so the
     * others emit no node for it.
     */
    @FunctionalInterface
    private interface Derivative {
        Value gradient(Reduction reduction, Value x, Supplier<Value> y, Value g);
    }

    private ReductionRules() {
    }

    static void register(GradientRules rules) {
        put(rules, "ReduceSum", 13, (r, x, y, g) -> r.ops().expandLike(g, x));
        put(rules, "ReduceMean", 18, (r, x, y, g) -> r.ops().expandLike(
                r.ops().scaleBySizeRatio(g, r.context().output(0), x), x));
        put(rules, "ReduceMax", 18, ReductionRules::extreme);
        put(rules, "ReduceMin", 18, ReductionRules::extreme);
        put(rules, "ReduceLogSumExp", 18, (r, x, y, g) -> r.ops().mul(g, r.ops().op("Exp", r.ops().sub(x, y.get()))));
        put(rules, "ReduceL1", 18, (r, x, y, g) -> r.ops().mul(g, r.ops().op("Sign", x)));
        put(rules, "ReduceL2", 18, (r, x, y, g) -> r.ops().mul(g, r.ops().div(x, y.get())));
        put(rules, "ReduceSumSquare", 18, (r, x, y, g) -> r.ops().mul(g, r.ops().mul(x, r.ops().scalarLike(2, x))));
        put(rules, "ReduceProd", 18, (r, x, y, g) -> r.ops().mul(g, r.ops().div(y.get(), x)));
    }

    private static void put(GradientRules rules, String opType, long axesInputSince, Derivative derivative) {
        rules.put(opType, GradientRule.forInputs(new int[] {0}, c -> {
            Reduction reduction = Reduction.of(c, axesInputSince);
            Value x = c.input(0);
            if (reduction.isNoOp()) {
                if (!opType.equals("ReduceSum") && !opType.equals("ReduceMean")) {
                    throw c.unsupported("noop_with_empty_axes with no axes leaves " + opType
                            + " without a defined result to differentiate");
                }
                c.give(0, c.gradient());
                return;
            }
            Supplier<Value> y = () -> reduction.withReducedAxes(c.output(0));
            Value g = reduction.withReducedAxes(c.gradient());
            c.give(0, derivative.gradient(reduction, x, y, g));
        }));
    }

    /** Max and min: the gradient goes to the elements equal to the result, shared among ties. */
    private static Value extreme(Reduction reduction, Value x, Supplier<Value> y, Value g) {
        Ops ops = reduction.ops();
        Value chosen = ops.cast(ops.op("Equal", x, y.get()), ValueTypes.elementType(x));
        Value ties = reduction.sumKeepingAxes(chosen);
        return ops.mul(ops.div(g, ties), chosen);
    }

    /** One reduce node's axes, however the opset gives them. */
    private record Reduction(RuleContext context, Value axesInput, Optional<long[]> axes,
                             boolean noAxes) {
        static Reduction of(RuleContext c, long axesInputSince) {
            if (c.opset() < axesInputSince) {
                Optional<long[]> axes = c.intsAttribute("axes");
                return new Reduction(c, null, axes, axes.isEmpty());
            }
            Value axesInput = c.input(1);
            Optional<long[]> axes = Constants.integers(axesInput);
            boolean noAxes = axesInput == null || axes.map(a -> a.length == 0).orElse(false);
            return new Reduction(c, axesInput, axes, noAxes);
        }

        Ops ops() {
            return context.ops();
        }

        boolean isNoOp() {
            return noAxes && context.intAttribute("noop_with_empty_axes", 0) != 0;
        }

        /** {@code v}, an output-shaped value, with the reduced axes put back as ones when keepdims is 0. */
        Value withReducedAxes(Value v) {
            boolean keepDims = context.intAttribute("keepdims", 1) != 0;
            if (keepDims || noAxes) {
                return v;
            }
            if (axes.isPresent()) {
                return ops().unsqueeze(v, axes.get());
            }
            return ops().op("Unsqueeze", v, axesInput);
        }

        /** A ReduceSum of {@code v} over the same axes, keeping them. */
        Value sumKeepingAxes(Value v) {
            Attribute keep = Attribute.ofInt("keepdims", 1);
            if (noAxes) {
                return ops().op("ReduceSum", List.of(keep), v);
            }
            if (ops().opset() >= 13) {
                Value axesValue = axes.map(a -> ops().int64s(a)).orElse(axesInput);
                return ops().op("ReduceSum", List.of(keep), v, axesValue);
            }
            return ops().op("ReduceSum", List.of(keep, Attribute.ofInts("axes", axes.orElseThrow())), v);
        }
    }
}
