package dev.tern.train.internal;

import dev.tern.ir.Value;

import java.util.Optional;

/**
 * ReduceSum and ReduceMean: the gradient is broadcast back over the reduced axes (re-inserted
 * first when keepdims is 0), and for the mean divided by the number of elements each output
 * averaged, taken at run time so symbolic dimensions work.
 */
final class ReductionRules {
    private ReductionRules() {
    }

    static void register(GradientRules rules) {
        rules.put("ReduceSum", GradientRule.forInputs(new int[] {0}, c -> reduce(c, 13, false)));
        rules.put("ReduceMean", GradientRule.forInputs(new int[] {0}, c -> reduce(c, 18, true)));
    }

    /** @param axesInputSince the opset from which axes are an input rather than an attribute */
    private static void reduce(RuleContext c, long axesInputSince, boolean mean) {
        Ops ops = c.ops();
        Value x = c.input(0);
        boolean axesAreInput = c.opset() >= axesInputSince;
        Value axesInput = axesAreInput ? c.input(1) : null;
        Optional<long[]> axes = axesAreInput
                ? Constants.integers(axesInput)
                : c.intsAttribute("axes");
        boolean noAxes = axesAreInput ? axesInput == null || axes.map(a -> a.length == 0).orElse(false) : axes.isEmpty();
        if (noAxes && c.intAttribute("noop_with_empty_axes", 0) != 0) {
            c.give(0, c.gradient());
            return;
        }
        Value g = c.gradient();
        boolean keepDims = c.intAttribute("keepdims", 1) != 0;
        if (!keepDims && !noAxes) {
            if (axes.isPresent()) {
                g = ops.unsqueeze(g, axes.get());
            } else {
                g = ops.op("Unsqueeze", g, axesInput);
            }
        }
        Value spread = ops.expandLike(g, x);
        if (mean) {
            spread = ops.mul(spread, ops.sizeRatio(c.output(0), x, x));
        }
        c.give(0, spread);
    }
}
