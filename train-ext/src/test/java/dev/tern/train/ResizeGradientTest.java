package dev.tern.train;

import dev.tern.ir.Attribute;
import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.ElementType.FLOAT;

/** Finite-difference checks of Resize: nearest and linear (and cubic), up and down, by scales and by sizes, over 1 to 3 spatial axes. */
class ResizeGradientTest extends RuntimeExtension {
    @Test
    void nearestUpsampling() {
        OpCase.of("Resize").opset(13).input(FLOAT, 1, 2, 2, 3).absent()
                .constant(Tensor.ofFloats("scales", new long[] {4}, 1, 1, 2, 2)).check(runtime);
        OpCase.of("Resize").opset(13).input(FLOAT, 1, 2, 3, 2).absent()
                .constant(Tensor.ofFloats("scales", new long[] {4}, 1, 1, 1.5f, 3))
                .attr(Attribute.ofString("coordinate_transformation_mode", "asymmetric"))
                .attr(Attribute.ofString("nearest_mode", "floor")).check(runtime);
    }

    @Test
    void nearestDownsamplingBySizes() {
        OpCase.of("Resize").opset(13).input(FLOAT, 1, 1, 4, 6).absent().absent()
                .constant(Tensor.ofLongs("sizes", new long[] {4}, 1, 1, 2, 3)).check(runtime);
    }

    @Test
    void linearUpAndDownsampling() {
        OpCase.of("Resize").opset(13).input(FLOAT, 2, 1, 3, 4).absent()
                .constant(Tensor.ofFloats("scales", new long[] {4}, 1, 1, 2, 0.5f))
                .attr(Attribute.ofString("mode", "linear")).check(runtime);
        OpCase.of("Resize").opset(13).input(FLOAT, 1, 2, 3, 3).absent().absent()
                .constant(Tensor.ofLongs("sizes", new long[] {4}, 1, 2, 5, 2))
                .attr(Attribute.ofString("mode", "linear"))
                .attr(Attribute.ofString("coordinate_transformation_mode", "align_corners")).check(runtime);
    }

    @Test
    void linearOverOneAndThreeSpatialAxesAndCubic() {
        OpCase.of("Resize").opset(13).input(FLOAT, 1, 2, 3).absent()
                .constant(Tensor.ofFloats("scales", new long[] {3}, 1, 1, 2.5f))
                .attr(Attribute.ofString("mode", "linear")).check(runtime);
        OpCase.of("Resize").opset(13).input(FLOAT, 1, 1, 2, 3, 2).absent()
                .constant(Tensor.ofFloats("scales", new long[] {5}, 1, 1, 2, 1, 1.5f))
                .attr(Attribute.ofString("mode", "linear")).check(runtime);
        OpCase.of("Resize").opset(13).input(FLOAT, 1, 1, 4, 4).absent()
                .constant(Tensor.ofFloats("scales", new long[] {4}, 1, 1, 1.5f, 2))
                .attr(Attribute.ofString("mode", "cubic")).check(runtime);
    }

    @Test
    void opset11WithItsRequiredEmptyInputsAndOpset18Axes() {
        OpCase.of("Resize").opset(11).input(FLOAT, 1, 1, 2, 3).constant(Tensor.ofFloats("roi", new long[] {0}))
                .constant(Tensor.ofFloats("scales", new long[] {4}, 1, 1, 2, 2))
                .attr(Attribute.ofString("mode", "linear")).check(runtime);
        OpCase.of("Resize").opset(18).input(FLOAT, 1, 2, 3, 2).absent()
                .constant(Tensor.ofFloats("scales", new long[] {2}, 2, 1.5f))
                .attr(Attribute.ofInts("axes", 3, 2)).attr(Attribute.ofString("mode", "linear")).check(runtime);
    }
}
