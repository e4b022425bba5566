package dev.tern.train;

import dev.tern.ir.Attribute;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.ElementType.FLOAT;

/** Finite-difference checks of the activation functions beyond the basic ones (ONNX Runtime runs them in float only). */
class ActivationGradientTest extends RuntimeExtension {
    @Test
    void softplus() {
        OpCase.of("Softplus").input(FLOAT, 2, 3).check(runtime);
    }

    @Test
    void softsign() {
        OpCase.of("Softsign").input(FLOAT, 2, 3).check(runtime);
    }

    @Test
    void seluWithDefaultAndGivenConstants() {
        OpCase.of("Selu").input(FLOAT, 2, 3).check(runtime);
        OpCase.of("Selu").input(FLOAT, 2, 3).attr(Attribute.ofFloat("alpha", 2))
                .attr(Attribute.ofFloat("gamma", 0.5f)).check(runtime);
    }

    @Test
    void celu() {
        OpCase.of("Celu").input(FLOAT, 2, 3).attr(Attribute.ofFloat("alpha", 0.7f)).check(runtime);
    }

    @Test
    void mish() {
        OpCase.of("Mish").opset(18).input(FLOAT, 2, 3).check(runtime);
    }

    /** alpha 3 and beta 0.5 clamp below x = -1/6 and above 1/6, so both flat parts and the slope are crossed. */
    @Test
    void hardSigmoid() {
        OpCase.of("HardSigmoid").input(FLOAT, OpCase.Values.SPREAD, 3, 4)
                .attr(Attribute.ofFloat("alpha", 3)).attr(Attribute.ofFloat("beta", 0.5f)).check(runtime);
    }

    @Test
    void hardSwishOnBothFlatPartsAndBetween() {
        OpCase.of("HardSwish").opset(14).input(FLOAT, OpCase.Values.WIDE, 3, 4).check(runtime);
    }

    @Test
    void thresholdedRelu() {
        OpCase.of("ThresholdedRelu").input(FLOAT, 2, 3).attr(Attribute.ofFloat("alpha", 0.5f)).check(runtime);
    }

    @Test
    void preluWithASlopeOfTheSameShape() {
        OpCase.of("PRelu").input(FLOAT, 2, 3).input(FLOAT, 2, 3).check(runtime);
    }

    @Test
    void preluWithABroadcastSlope() {
        OpCase.of("PRelu").input(FLOAT, 2, 3, 4).input(FLOAT, 3, 1).check(runtime);
        OpCase.of("PRelu").input(FLOAT, 2, 3, 4).input(FLOAT, 4).check(runtime);
    }
}
