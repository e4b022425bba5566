package dev.tern.train;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.ElementType.DOUBLE;

/** Finite-difference checks of the shape, selection, reduction and pass-through ops, in the opset forms that differ. */
class ShapeAndSelectionGradientTest extends RuntimeExtension {
    private static Tensor longs(long... values) {
        return Tensor.ofLongs("", new long[] {values.length}, values);
    }

    @Test
    void flatten() {
        OpCase.of("Flatten").batchedInput(DOUBLE, 2, 3, 2).attr(Attribute.ofInt("axis", 2)).check(runtime);
    }

    @Test
    void reshape() {
        OpCase.of("Reshape").batchedInput(DOUBLE, 2, 3, 2).constant(longs(0, -1)).check(runtime);
    }

    @Test
    void transpose() {
        OpCase.of("Transpose").input(DOUBLE, 2, 3, 4).attr(Attribute.ofInts("perm", 1, 2, 0)).check(runtime);
    }

    @Test
    void transposeDefaultReverses() {
        OpCase.of("Transpose").input(DOUBLE, 2, 3, 4).check(runtime);
    }

    @Test
    void squeezeWithAxesInput() {
        OpCase.of("Squeeze").input(DOUBLE, 2, 1, 3).constant(longs(1)).check(runtime);
    }

    @Test
    void unsqueezeWithAxesAttributeBeforeOpset13() {
        OpCase.of("Unsqueeze").opset(11).input(DOUBLE, 2, 3).attr(Attribute.ofInts("axes", 0, 3)).check(runtime);
    }

    @Test
    void expand() {
        OpCase.of("Expand").input(DOUBLE, 3, 1).constant(longs(2, 3, 4)).check(runtime);
    }

    @Test
    void concatStaticSizes() {
        OpCase.of("Concat").input(DOUBLE, 2, 3).input(DOUBLE, 2, 1).attr(Attribute.ofInt("axis", 1)).check(runtime);
    }

    @Test
    void concatAlongSymbolicBatch() {
        OpCase.of("Concat").batchedInput(DOUBLE, 2, 3).batchedInput(DOUBLE, 2, 3).attr(Attribute.ofInt("axis", 0)).check(runtime);
    }

    @Test
    void splitWithSizesInput() {
        OpCase.of("Split").outputs(2).input(DOUBLE, 2, 5).constant(longs(2, 3)).attr(Attribute.ofInt("axis", 1)).check(runtime);
    }

    @Test
    void splitWithSizesAttributeBeforeOpset13() {
        OpCase.of("Split").opset(11).outputs(3).input(DOUBLE, 6, 2).attr(Attribute.ofInts("split", 1, 2, 3)).check(runtime);
    }

    @Test
    void sliceWithStepsAndNegativeBounds() {
        OpCase.of("Slice").input(DOUBLE, 4, 5)
                .constant(longs(-1, 1)).constant(longs(0, 5)).constant(longs(0, 1)).constant(longs(-2, 2))
                .check(runtime);
    }

    @Test
    void sliceOfSymbolicBatchAsInMiniLm() {
        OpCase.of("Slice").opset(11).batchedInput(DOUBLE, 2, 4).constant(longs(1)).constant(longs(3)).constant(longs(1))
                .check(runtime);
    }

    @Test
    void gatherWithRepeatedAndNegativeIndices() {
        OpCase.of("Gather").input(DOUBLE, 4, 3)
                .constant(Tensor.ofLongs("", new long[] {2, 2}, 1, -1, 1, 0))
                .check(runtime);
    }

    @Test
    void gatherOnInnerAxis() {
        OpCase.of("Gather").input(DOUBLE, 2, 4, 3)
                .constant(Tensor.ofLongs("", new long[] {3}, 3, 0, 3))
                .attr(Attribute.ofInt("axis", 1))
                .check(runtime);
    }

    @Test
    void gatherBeforeOpset16SumsRepeatedRowsAfterUnique() {
        OpCase.of("Gather").opset(11).input(ElementType.FLOAT, 5, 2)
                .constant(Tensor.ofLongs("", new long[] {2, 3}, 4, 4, 0, -1, 2, 4))
                .check(runtime);
    }

    @Test
    void gatherOfMatrixRowsBeforeOpset16() {
        OpCase.of("Gather").opset(13).input(DOUBLE, 6, 2, 3)
                .constant(Tensor.ofLongs("", new long[] {4}, 5, 1, 5, -5))
                .check(runtime);
    }

    @Test
    void gatherBeforeOpset11UsesOneHot() {
        OpCase.of("Gather").opset(10).input(ElementType.FLOAT, 5, 2)
                .constant(Tensor.ofLongs("", new long[] {2, 3}, 4, 4, 0, -1, 2, 4))
                .check(runtime);
    }

    @Test
    void gatherOnInnerAxisBeforeOpset16() {
        OpCase.of("Gather").opset(13).input(DOUBLE, 2, 3, 2)
                .constant(Tensor.ofInts("", new long[] {2}, 2, 2))
                .attr(Attribute.ofInt("axis", -2))
                .check(runtime);
    }

    @Test
    void whereBroadcasting() {
        OpCase.of("Where").constant(Tensor.ofBooleans("", new long[] {2, 3}, true, false, true, false, false, true))
                .input(DOUBLE, 2, 3).input(DOUBLE, 3)
                .check(runtime);
    }

    @Test
    void reduceSumWithAxesInput() {
        OpCase.of("ReduceSum").batchedInput(DOUBLE, 2, 3, 4).constant(longs(-1, 1)).attr(Attribute.ofInt("keepdims", 0)).check(runtime);
    }

    @Test
    void reduceSumWithAxesAttributeBeforeOpset13() {
        OpCase.of("ReduceSum").opset(12).input(DOUBLE, 2, 3).attr(Attribute.ofInts("axes", 0)).check(runtime);
    }

    @Test
    void reduceMeanKeepingDims() {
        OpCase.of("ReduceMean").batchedInput(DOUBLE, 2, 3, 4).attr(Attribute.ofInts("axes", 2)).check(runtime);
    }

    @Test
    void reduceMeanWithAxesInputFromOpset18() {
        OpCase.of("ReduceMean").opset(18).input(DOUBLE, 2, 3, 4).constant(longs(0, 2)).attr(Attribute.ofInt("keepdims", 0)).check(runtime);
    }

    @Test
    void reduceMeanOfEverything() {
        OpCase.of("ReduceMean").opset(11).input(DOUBLE, 2, 3).attr(Attribute.ofInt("keepdims", 0)).check(runtime);
    }

    @Test
    void castFloatToDouble() {
        OpCase.of("Cast").input(ElementType.FLOAT, 2, 3).attr(Attribute.ofInt("to", ElementType.DOUBLE.onnxCode())).check(runtime);
    }

    @Test
    void identity() {
        OpCase.of("Identity").input(DOUBLE, 2, 3).check(runtime);
    }

    @Test
    void dropoutInInferenceMode() {
        OpCase.of("Dropout").input(DOUBLE, 2, 3)
                .constant(Tensor.ofDoubles("", new long[0], 0.5))
                .constant(Tensor.ofBooleans("", new long[0], false))
                .check(runtime);
    }
}
