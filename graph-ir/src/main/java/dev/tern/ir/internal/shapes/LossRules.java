package dev.tern.ir.internal.shapes;

import dev.tern.ir.Shape;

/**
 * NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss: a scalar loss, or with
 * {@code reduction="none"} one loss per target element; SoftmaxCrossEntropyLoss's optional
 * log-probabilities have the scores' shape.
 */
final class LossRules {
    private LossRules() {
    }

    static void register(OpRegistry registry) {
        registry.add(LossRules::loss, "NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss");
    }

    private static void loss(NodeContext node) {
        boolean perElement = node.stringAttr("reduction", "mean").equals("none");
        node.setOutput(0, node.elementType(0), perElement ? node.shape(1) : Shape.scalar());
        node.setOutput(1, node.elementType(0), node.shape(0));
    }
}
