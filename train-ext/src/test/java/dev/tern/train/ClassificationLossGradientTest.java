package dev.tern.train;

import dev.tern.ir.Attribute;
import dev.tern.ir.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.tern.ir.ElementType.FLOAT;

/**
 * Finite-difference checks of SoftmaxCrossEntropyLoss and NegativeLogLikelihoodLoss under each
 * reduction, with and without class weights and ignore_index, over [N, C] and [N, C, D] scores.
 */
class ClassificationLossGradientTest extends RuntimeExtension {
    private static final Tensor LABELS = Tensor.ofLongs("labels", new long[] {4}, 2, 0, 1, 2);
    private static final Tensor SPATIAL_LABELS = Tensor.ofLongs("labels", new long[] {2, 2}, 1, 0, 2, 1);
    private static final Tensor CLASS_WEIGHTS = Tensor.ofFloats("weights", new long[] {3}, 0.5f, 2, 1.5f);

    @ParameterizedTest
    @ValueSource(strings = {"SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss"})
    void eachReductionWithoutWeights(String op) {
        for (String reduction : new String[] {"mean", "sum", "none"}) {
            OpCase.of(op).input(FLOAT, 4, 3).constant(LABELS)
                    .attr(Attribute.ofString("reduction", reduction)).check(runtime);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss"})
    void classWeightsUnderMeanAndNone(String op) {
        OpCase.of(op).input(FLOAT, 4, 3).constant(LABELS).constant(CLASS_WEIGHTS).check(runtime);
        OpCase.of(op).input(FLOAT, 4, 3).constant(LABELS).constant(CLASS_WEIGHTS)
                .attr(Attribute.ofString("reduction", "none")).check(runtime);
    }

    /** Label 2 is ignored: its rows get no gradient and leave the mean's denominator. */
    @ParameterizedTest
    @ValueSource(strings = {"SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss"})
    void ignoredLabelsOverSpatialScores(String op) {
        OpCase.of(op).input(FLOAT, 2, 3, 2).constant(SPATIAL_LABELS)
                .attr(Attribute.ofInt("ignore_index", 2)).check(runtime);
        OpCase.of(op).input(FLOAT, 2, 3, 2).constant(SPATIAL_LABELS).constant(CLASS_WEIGHTS)
                .attr(Attribute.ofInt("ignore_index", 2)).check(runtime);
    }

    /** The loss of the OpCase reads both outputs, so the log-probabilities' gradient adds in. */
    @ParameterizedTest
    @ValueSource(strings = {"mean", "none"})
    void crossEntropyWithItsLogProbabilitiesUsed(String reduction) {
        OpCase.of("SoftmaxCrossEntropyLoss").outputs(2).input(FLOAT, 4, 3).constant(LABELS)
                .attr(Attribute.ofString("reduction", reduction)).check(runtime);
    }
}
