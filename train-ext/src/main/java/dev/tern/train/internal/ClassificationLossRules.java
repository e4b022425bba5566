package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Value;

import java.util.Arrays;
import java.util.List;

/**
 * SoftmaxCrossEntropyLoss and NegativeLogLikelihoodLoss over scores [N, C] or [N, C, D1, ...]
 * with integer labels [N] or [N, D1, ...]. Each element i contributes w_i (-log p_i[label_i])
 * (the scores' log-softmax, or the given log-probabilities for NLL), where w_i is the class
 * weight of its label (1 without weights) and 0 where the label equals ignore_index. Reduction
 * "none" keeps the per-element losses, "sum" adds them, "mean" divides the sum by the sum of
 * the w_i. So each element's gradient is its w_i times the upstream gradient (divided by that
 * sum for "mean"), times softmax - onehot(label) for the cross-entropy and -onehot(label) for
 * NLL. SoftmaxCrossEntropyLoss's second output, the log-probabilities, passes its gradient
 * through the log-softmax.
 */
final class ClassificationLossRules {
    private static final long[] CLASS_AXIS = {1};

    private ClassificationLossRules() {
    }

    static void register(GradientRules rules) {
        rules.put("SoftmaxCrossEntropyLoss", GradientRule.forInputs(new int[] {0}, ClassificationLossRules::crossEntropy));
        rules.put("NegativeLogLikelihoodLoss", GradientRule.forInputs(new int[] {0}, ClassificationLossRules::nll));
    }

    private static void crossEntropy(RuleContext c) {
        Ops ops = c.ops();
        Value scores = c.input(0);
        Value logProbabilities = ops.op("LogSoftmax", List.of(Attribute.ofInt("axis", 1)), scores);
        Value probabilities = ops.op("Exp", logProbabilities);
        Value total = null;
        if (c.gradient(0) != null) {
            Value slope = ops.sub(probabilities, oneHot(c, scores));
            total = ops.mul(slope, perElementFactor(c, scores));
        }
        boolean logProbabilitiesUsed = c.node().outputs().size() > 1 && c.gradient(1) != null;
        if (logProbabilitiesUsed) {
            Value g = c.gradient(1);
            Value throughLogSoftmax = ops.sub(g, ops.mul(probabilities, ops.reduceSum(g, CLASS_AXIS, true)));
            total = total == null ? throughLogSoftmax : ops.add(total, throughLogSoftmax);
        }
        c.give(0, total);
    }

    private static void nll(RuleContext c) {
        Ops ops = c.ops();
        Value logProbabilities = c.input(0);
        c.give(0, ops.neg(ops.mul(oneHot(c, logProbabilities), perElementFactor(c, logProbabilities))));
    }

    /** 1 at each element's label along the class axis, 0 elsewhere (and everywhere for ignored labels), typed like {@code scores}. */
    private static Value oneHot(RuleContext c, Value scores) {
        Ops ops = c.ops();
        int rank = ValueTypes.rank(scores);
        GraphEmitter emitter = ops.emitter();
        Value classes = ops.op("Range", emitter.int64Scalar(0), ops.squeeze(ops.dimension(scores, 1), 0),
                emitter.int64Scalar(1));
        long[] classShape = new long[rank];
        Arrays.fill(classShape, 1);
        classShape[1] = -1;
        Value classColumn = ops.op("Reshape", classes, ops.int64s(classShape));
        Value labels = ops.unsqueeze(ops.cast(c.input(1), ElementType.INT64), 1);
        return ops.cast(ops.op("Equal", classColumn, labels), ValueTypes.elementType(scores));
    }

    /** w_i times the upstream gradient, over the sum of the w_i for "mean", shaped [N, 1, D1, ...]. */
    private static Value perElementFactor(RuleContext c, Value scores) {
        Ops ops = c.ops();
        ElementType type = ValueTypes.elementType(scores);
        Value labels = ops.cast(c.input(1), ElementType.INT64);
        Value weights;
        Value gatherable = labels;
        Value kept = null;
        if (c.node().attribute("ignore_index").isPresent()) {
            Value ignored = ops.op("Equal", labels, ops.emitter().int64Scalar(c.intAttribute("ignore_index", 0)));
            gatherable = ops.op("Where", ignored, ops.emitter().int64Scalar(0), labels);
            kept = ops.cast(ops.op("Not", ignored), type);
        }
        if (c.input(2) != null) {
            weights = ops.op("Gather", List.of(Attribute.ofInt("axis", 0)), c.input(2), gatherable);
            weights = kept == null ? weights : ops.mul(weights, kept);
        } else {
            weights = kept == null ? ops.expandLike(ops.scalarLike(1, scores), labels) : kept;
        }
        Value factor = ops.mul(weights, c.gradient(0));
        String reduction = c.stringAttribute("reduction", "mean");
        switch (reduction) {
            case "none", "sum" -> { }
            case "mean" -> factor = ops.div(factor, ops.op("ReduceSum", List.of(Attribute.ofInt("keepdims", 0)), weights));
            default -> throw c.unsupported("unknown reduction \"" + reduction + "\"");
        }
        return ops.unsqueeze(factor, 1);
    }
}
