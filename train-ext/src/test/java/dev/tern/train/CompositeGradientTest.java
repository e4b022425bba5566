package dev.tern.train;

import dev.tern.ir.Attribute;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.ElementType.DOUBLE;
import static dev.tern.ir.ElementType.FLOAT;

/** Finite-difference checks of the composite ops Autodiff expands into primitives first. */
class CompositeGradientTest extends RuntimeExtension {
    @Test
    void layerNormalizationWithBias() {
        OpCase.of("LayerNormalization").batchedInput(DOUBLE, 2, 3, 4).input(DOUBLE, 4).input(DOUBLE, 4).check(runtime);
    }

    @Test
    void layerNormalizationOverTwoAxesFromOpset18() {
        OpCase.of("LayerNormalization").opset(18).input(DOUBLE, 2, 3, 2).input(DOUBLE, 3, 2)
                .attr(Attribute.ofInt("axis", 1)).attr(Attribute.ofFloat("epsilon", 1e-3f))
                .check(runtime);
    }

    /** In float: ONNX Runtime has no double Erf. */
    @Test
    void geluExact() {
        OpCase.of("Gelu").opset(20).batchedInput(FLOAT, 2, 3).check(runtime);
    }

    @Test
    void geluTanh() {
        OpCase.of("Gelu").opset(20).input(DOUBLE, 2, 3).attr(Attribute.ofString("approximate", "tanh")).check(runtime);
    }
}
