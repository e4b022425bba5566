package dev.tern.train;

import dev.tern.ir.Attribute;
import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.ElementType.DOUBLE;
import static dev.tern.ir.ElementType.FLOAT;

/** Finite-difference checks of the ops that move elements: indexing, scatters, Pad, Tile and CumSum. */
class DataMovementGradientTest extends RuntimeExtension {
    /** Index 2 repeats in the first row, so its gradient is a sum. */
    @Test
    void gatherElementsWithRepeatedIndices() {
        OpCase.of("GatherElements").input(FLOAT, 2, 3)
                .constant(Tensor.ofLongs("indices", new long[] {2, 4}, 2, 0, 2, 1, 1, 1, 0, -1))
                .attr(Attribute.ofInt("axis", 1)).check(runtime);
    }

    @Test
    void gatherNdOfRowsAndOfElements() {
        OpCase.of("GatherND").input(FLOAT, 3, 2)
                .constant(Tensor.ofLongs("indices", new long[] {3, 1}, 2, 0, 2)).check(runtime);
        OpCase.of("GatherND").input(FLOAT, 2, 3)
                .constant(Tensor.ofLongs("indices", new long[] {2, 2}, 1, 2, 0, 1)).check(runtime);
    }

    @Test
    void scatterElementsReplacingAndAdding() {
        Tensor indices = Tensor.ofLongs("indices", new long[] {2, 2}, 2, 0, 1, 2);
        OpCase.of("ScatterElements").input(FLOAT, 2, 3).constant(indices).input(FLOAT, 2, 2)
                .attr(Attribute.ofInt("axis", 1)).check(runtime);
        OpCase.of("ScatterElements").input(FLOAT, 2, 3).constant(indices).input(FLOAT, 2, 2)
                .attr(Attribute.ofInt("axis", 1)).attr(Attribute.ofString("reduction", "add")).check(runtime);
    }

    @Test
    void scatterNdReplacingAndAdding() {
        Tensor indices = Tensor.ofLongs("indices", new long[] {2, 1}, 2, 0);
        OpCase.of("ScatterND").input(FLOAT, 3, 2).constant(indices).input(FLOAT, 2, 2).check(runtime);
        OpCase.of("ScatterND").input(FLOAT, 3, 2).constant(indices).input(FLOAT, 2, 2)
                .attr(Attribute.ofString("reduction", "add")).check(runtime);
    }

    /** Pads that add on some sides and crop on another, with pads as an input (opset 13) and given axes (opset 18). */
    @Test
    void padAddingAndCropping() {
        OpCase.of("Pad").opset(13).input(DOUBLE, 2, 3)
                .constant(Tensor.ofLongs("pads", new long[] {4}, 1, 0, 0, -1)).check(runtime);
        OpCase.of("Pad").opset(18).input(DOUBLE, 2, 3, 2)
                .constant(Tensor.ofLongs("pads", new long[] {4}, 2, 1, 0, 1)).absent()
                .constant(Tensor.ofLongs("axes", new long[] {2}, 0, 2)).check(runtime);
    }

    @Test
    void padBeforeOpset11() {
        OpCase.of("Pad").opset(10).input(FLOAT, 2, 3).attr(Attribute.ofInts("pads", 0, 2, 1, 0)).check(runtime);
    }

    @Test
    void tile() {
        OpCase.of("Tile").input(DOUBLE, 2, 3).constant(Tensor.ofLongs("repeats", new long[] {2}, 3, 2)).check(runtime);
        OpCase.of("Tile").input(DOUBLE, 2, 1, 2).constant(Tensor.ofLongs("repeats", new long[] {3}, 1, 4, 1))
                .check(runtime);
    }

    @Test
    void cumSumForwardReverseAndExclusive() {
        Tensor axis = Tensor.ofLongs("axis", new long[0], 1);
        OpCase.of("CumSum").input(DOUBLE, 2, 4).constant(axis).check(runtime);
        OpCase.of("CumSum").input(DOUBLE, 2, 4).constant(axis).attr(Attribute.ofInt("reverse", 1)).check(runtime);
        OpCase.of("CumSum").input(DOUBLE, 3, 2).constant(Tensor.ofLongs("axis", new long[0], 0))
                .attr(Attribute.ofInt("exclusive", 1)).attr(Attribute.ofInt("reverse", 1)).check(runtime);
    }
}
