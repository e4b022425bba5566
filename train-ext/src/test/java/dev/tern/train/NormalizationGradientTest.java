package dev.tern.train;

import dev.tern.ir.Attribute;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.ElementType.DOUBLE;
import static dev.tern.ir.ElementType.FLOAT;

/** Finite-difference checks of InstanceNormalization, GroupNormalization and LpNormalization, scale and bias included. */
class NormalizationGradientTest extends RuntimeExtension {
    @Test
    void instanceNormalizationOverOneAndTwoSpatialAxes() {
        OpCase.of("InstanceNormalization").input(FLOAT, 2, 3, 5).input(FLOAT, 3).input(FLOAT, 3).check(runtime);
        OpCase.of("InstanceNormalization").input(FLOAT, 2, 2, 3, 2).input(FLOAT, 2).input(FLOAT, 2)
                .attr(Attribute.ofFloat("epsilon", 0.01f)).check(runtime);
    }

    @Test
    void groupNormalizationWithPerChannelScale() {
        OpCase.of("GroupNormalization").opset(21).input(FLOAT, 2, 4, 3).input(FLOAT, 4).input(FLOAT, 4)
                .attr(Attribute.ofInt("num_groups", 2)).check(runtime);
        OpCase.of("GroupNormalization").opset(21).input(FLOAT, 1, 6, 2, 2).input(FLOAT, 6).input(FLOAT, 6)
                .attr(Attribute.ofInt("num_groups", 3)).check(runtime);
    }

    @Test
    void groupNormalizationWithPerGroupScaleBeforeOpset21() {
        OpCase.of("GroupNormalization").opset(18).input(FLOAT, 2, 4, 3).input(FLOAT, 2).input(FLOAT, 2)
                .attr(Attribute.ofInt("num_groups", 2)).check(runtime);
    }

    @Test
    void lpNormalizationWithP2AndP1() {
        OpCase.of("LpNormalization").input(DOUBLE, 3, 4).check(runtime);
        OpCase.of("LpNormalization").input(DOUBLE, 3, 4).attr(Attribute.ofInt("axis", 0))
                .attr(Attribute.ofInt("p", 1)).check(runtime);
    }
}
