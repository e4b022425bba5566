package dev.tern.train;

import dev.tern.ir.Attribute;
import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.ElementType.DOUBLE;
import static dev.tern.ir.ElementType.FLOAT;

/**
 * Finite-difference checks of Conv, ConvTranspose, pooling and BatchNormalization, in float
 * where ONNX Runtime's CPU kernels have no double version.
 */
class ConvolutionGradientTest extends RuntimeExtension {
    @Test
    void conv2d() {
        OpCase.of("Conv").batchedInput(FLOAT, 2, 2, 4, 4).input(FLOAT, 3, 2, 3, 3).input(FLOAT, 3).check(runtime);
    }

    @Test
    void conv2dStridedPaddedDilated() {
        OpCase.of("Conv").input(FLOAT, 1, 2, 6, 5).input(FLOAT, 2, 2, 2, 3)
                .attr(Attribute.ofInts("strides", 2, 2)).attr(Attribute.ofInts("pads", 1, 0, 0, 1))
                .attr(Attribute.ofInts("dilations", 2, 1))
                .check(runtime);
    }

    @Test
    void conv2dGrouped() {
        OpCase.of("Conv").input(FLOAT, 2, 4, 4, 4).input(FLOAT, 6, 2, 2, 2).attr(Attribute.ofInt("group", 2))
                .attr(Attribute.ofInts("strides", 2, 1))
                .check(runtime);
    }

    @Test
    void conv2dSameUpper() {
        OpCase.of("Conv").input(FLOAT, 1, 1, 5, 5).input(FLOAT, 2, 1, 3, 3)
                .attr(Attribute.ofString("auto_pad", "SAME_UPPER")).attr(Attribute.ofInts("strides", 2, 2))
                .check(runtime);
    }

    @Test
    void conv1d() {
        OpCase.of("Conv").input(FLOAT, 2, 3, 7).input(FLOAT, 2, 3, 3).input(FLOAT, 2)
                .attr(Attribute.ofInts("strides", 2)).attr(Attribute.ofInts("pads", 1, 1))
                .check(runtime);
    }

    @Test
    void conv3dStridedAndPadded() {
        OpCase.of("Conv").input(FLOAT, 1, 2, 4, 3, 4).input(FLOAT, 2, 2, 2, 2, 3).input(FLOAT, 2)
                .attr(Attribute.ofInts("strides", 2, 1, 1)).attr(Attribute.ofInts("pads", 1, 0, 1, 0, 1, 0))
                .check(runtime);
    }

    @Test
    void convTranspose1dStrided() {
        OpCase.of("ConvTranspose").input(FLOAT, 2, 3, 4).input(FLOAT, 3, 2, 3).input(FLOAT, 2)
                .attr(Attribute.ofInts("strides", 2)).attr(Attribute.ofInts("pads", 1, 0))
                .attr(Attribute.ofInts("output_padding", 1))
                .check(runtime);
    }

    @Test
    void convTranspose3d() {
        OpCase.of("ConvTranspose").input(FLOAT, 1, 2, 2, 3, 2).input(FLOAT, 2, 2, 2, 2, 2).input(FLOAT, 2)
                .attr(Attribute.ofInts("strides", 1, 2, 1))
                .check(runtime);
    }

    @Test
    void convTranspose2d() {
        OpCase.of("ConvTranspose").input(FLOAT, 1, 2, 3, 3).input(FLOAT, 2, 3, 2, 2).input(FLOAT, 3)
                .attr(Attribute.ofInts("strides", 2, 2)).attr(Attribute.ofInts("pads", 0, 1, 0, 0))
                .attr(Attribute.ofInts("output_padding", 1, 0))
                .check(runtime);
    }

    @Test
    void convTransposeGrouped() {
        OpCase.of("ConvTranspose").input(FLOAT, 2, 4, 3).input(FLOAT, 4, 1, 3).attr(Attribute.ofInt("group", 2)).check(runtime);
    }

    @Test
    void maxPoolDisjointWindows() {
        OpCase.of("MaxPool").batchedInput(FLOAT, OpCase.Values.SPREAD, 2, 2, 4, 4)
                .attr(Attribute.ofInts("kernel_shape", 2, 2)).attr(Attribute.ofInts("strides", 2, 2))
                .check(runtime);
    }

    @Test
    void maxPoolOverlappingWindows() {
        OpCase.of("MaxPool").input(FLOAT, OpCase.Values.SPREAD, 1, 2, 4, 5)
                .attr(Attribute.ofInts("kernel_shape", 3, 3)).attr(Attribute.ofInts("pads", 1, 1, 1, 1))
                .check(runtime);
    }

    @Test
    void maxPool1dAnd3d() {
        OpCase.of("MaxPool").input(FLOAT, OpCase.Values.SPREAD, 2, 2, 6)
                .attr(Attribute.ofInts("kernel_shape", 3)).attr(Attribute.ofInts("strides", 3))
                .check(runtime);
        OpCase.of("MaxPool").input(FLOAT, OpCase.Values.SPREAD, 1, 2, 4, 4, 4)
                .attr(Attribute.ofInts("kernel_shape", 2, 2, 2)).attr(Attribute.ofInts("strides", 2, 2, 2))
                .check(runtime);
        OpCase.of("MaxPool").input(FLOAT, OpCase.Values.SPREAD, 1, 1, 3, 4, 4)
                .attr(Attribute.ofInts("kernel_shape", 2, 3, 3)).attr(Attribute.ofInts("pads", 0, 1, 1, 1, 1, 1))
                .check(runtime);
    }

    @Test
    void averagePool1dAnd3d() {
        OpCase.of("AveragePool").input(FLOAT, 2, 2, 7)
                .attr(Attribute.ofInts("kernel_shape", 3)).attr(Attribute.ofInts("strides", 2))
                .attr(Attribute.ofInts("pads", 1, 1))
                .check(runtime);
        OpCase.of("AveragePool").input(FLOAT, 1, 2, 4, 3, 4)
                .attr(Attribute.ofInts("kernel_shape", 2, 2, 2)).attr(Attribute.ofInts("strides", 2, 1, 2))
                .check(runtime);
    }

    @Test
    void globalMaxPool2dAnd3d() {
        OpCase.of("GlobalMaxPool").batchedInput(FLOAT, OpCase.Values.SPREAD, 2, 3, 2, 3).check(runtime);
        OpCase.of("GlobalMaxPool").input(FLOAT, OpCase.Values.SPREAD, 1, 2, 2, 2, 3).check(runtime);
    }

    @Test
    void averagePool() {
        OpCase.of("AveragePool").batchedInput(FLOAT, 2, 3, 4, 4)
                .attr(Attribute.ofInts("kernel_shape", 2, 2)).attr(Attribute.ofInts("strides", 2, 2))
                .check(runtime);
    }

    @Test
    void averagePoolPaddedExcludingPads() {
        OpCase.of("AveragePool").input(FLOAT, 1, 2, 5, 4)
                .attr(Attribute.ofInts("kernel_shape", 3, 2)).attr(Attribute.ofInts("pads", 1, 1, 1, 0))
                .attr(Attribute.ofInts("strides", 2, 1))
                .check(runtime);
    }

    @Test
    void averagePoolPaddedIncludingPads() {
        OpCase.of("AveragePool").input(FLOAT, 1, 1, 4, 4)
                .attr(Attribute.ofInts("kernel_shape", 3, 3)).attr(Attribute.ofInts("pads", 1, 1, 1, 1))
                .attr(Attribute.ofInt("count_include_pad", 1))
                .check(runtime);
    }

    @Test
    void globalAveragePool() {
        OpCase.of("GlobalAveragePool").batchedInput(FLOAT, 2, 3, 2, 3).check(runtime);
    }

    /** The running mean and variance are constants: the inference form gives them no gradient. */
    @Test
    void batchNormalizationInference() {
        OpCase.of("BatchNormalization").batchedInput(DOUBLE, 2, 3, 2, 2).input(DOUBLE, 3).input(DOUBLE, 3)
                .constant(Tensor.ofDoubles("mean", new long[] {3}, 0.1, -0.2, 0.3))
                .constant(Tensor.ofDoubles("var", new long[] {3}, 0.5, 1.5, 0.8))
                .attr(Attribute.ofFloat("epsilon", 1e-3f))
                .check(runtime);
    }
}
