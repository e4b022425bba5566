package dev.tern.train.internal;

import java.util.function.IntPredicate;

/**
 * How one op passes gradients back: which inputs and outputs can carry a gradient at all
 * (a shape, an index or a mask cannot), and the backward computation itself.
 */
final class GradientRule {
    /** Emits the gradients of a node's inputs from those of its outputs. */
    @FunctionalInterface
    interface Backward {
        void apply(RuleContext context);
    }

    private final IntPredicate differentiableInputs;
    private final IntPredicate differentiableOutputs;
    private final boolean integerOutputsCarryGradients;
    private final Backward backward;

    private GradientRule(IntPredicate differentiableInputs, IntPredicate differentiableOutputs,
                         boolean integerOutputsCarryGradients, Backward backward) {
        this.differentiableInputs = differentiableInputs;
        this.differentiableOutputs = differentiableOutputs;
        this.integerOutputsCarryGradients = integerOutputsCarryGradients;
        this.backward = backward;
    }

    /** A rule for an op whose every input and output can carry a gradient. */
    static GradientRule of(Backward backward) {
        return new GradientRule(index -> true, index -> true, false, backward);
    }

    /** A rule for an op where only the inputs at {@code indices} can carry a gradient. */
    static GradientRule forInputs(int[] indices, Backward backward) {
        return new GradientRule(index -> contains(indices, index), index -> true, false, backward);
    }

    /** This rule, with only output 0 carrying a gradient (the others are indices or masks). */
    GradientRule onlyFirstOutput() {
        return new GradientRule(differentiableInputs, index -> index == 0, integerOutputsCarryGradients, backward);
    }

    /**
     * This rule, with integer outputs carrying a real gradient: a quantized tensor stands for
     * real numbers, so the gradient flows through it although its elements are integers.
     */
    GradientRule withIntegerOutputsCarryingGradients() {
        return new GradientRule(differentiableInputs, differentiableOutputs, true, backward);
    }

    /** Whether integer outputs carry a gradient (see {@link #withIntegerOutputsCarryingGradients}). */
    boolean integerOutputsCarryGradients() {
        return integerOutputsCarryGradients;
    }

    boolean isDifferentiableInput(int index) {
        return differentiableInputs.test(index);
    }

    boolean isDifferentiableOutput(int index) {
        return differentiableOutputs.test(index);
    }

    void apply(RuleContext context) {
        backward.apply(context);
    }

    private static boolean contains(int[] indices, int index) {
        for (int candidate : indices) {
            if (candidate == index) {
                return true;
            }
        }
        return false;
    }
}
