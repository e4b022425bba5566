package dev.tern.ir.shapes;

import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import static dev.tern.ir.shapes.Infer.assertType;
import static dev.tern.ir.shapes.Infer.cleanly;
import static dev.tern.ir.shapes.Infer.floats;

class ConvPoolInferenceTest {
    private static Value weight(GraphBuilder g, long... dims) {
        return g.initializer(Tensor.zeros("w", ElementType.FLOAT, dims));
    }

    @Test
    void convUsesPadsStridesAndTheWeightsKernel() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "batch", "3", "32", "32");
        Value y = g.node("Conv").inputs(x, weight(g, 16, 3, 3, 3)).ints("pads", 1, 1, 1, 1).ints("strides", 2, 2).output();
        cleanly(g, y, 17);
        // (32 + 1 + 1 - 3) / 2 + 1 = 16
        assertType("tensor(float)[batch,16,16,16]", y);
    }

    @Test
    void dilationWidensTheKernel() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "1", "3", "32");
        Value y = g.node("Conv").inputs(x, weight(g, 4, 3, 3)).ints("dilations", 2).output();
        cleanly(g, y, 17);
        // effective kernel (3 - 1) * 2 + 1 = 5: 32 - 5 + 1 = 28
        assertType("tensor(float)[1,4,28]", y);
    }

    @Test
    void autoPadSameGivesCeilOfInputOverStrideAndValidPadsNothing() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "1", "3", "33", "33");
        Value w = weight(g, 8, 3, 3, 3);
        Value same = g.node("Conv").inputs(x, w).attr("auto_pad", "SAME_UPPER").ints("strides", 2, 2).output();
        Value valid = g.node("Conv").inputs(x, w).attr("auto_pad", "VALID").ints("strides", 2, 2).output();
        g.output(same);
        cleanly(g, valid, 17);
        assertType("tensor(float)[1,8,17,17]", same);
        // ceil((33 - 3 + 1) / 2) = 16
        assertType("tensor(float)[1,8,16,16]", valid);
    }

    @Test
    void ceilModeRoundsUp() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "1", "3", "32", "32");
        Value floor = g.node("MaxPool").inputs(x).ints("kernel_shape", 3, 3).ints("strides", 2, 2).output();
        Value ceil = g.node("MaxPool").inputs(x).ints("kernel_shape", 3, 3).ints("strides", 2, 2)
                .attr("ceil_mode", 1L).output();
        g.output(floor);
        cleanly(g, ceil, 12);
        assertType("tensor(float)[1,3,15,15]", floor);
        assertType("tensor(float)[1,3,16,16]", ceil);
    }

    @Test
    void ceilModeDropsAWindowThatWouldStartInThePadding() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "1", "1", "4", "4");
        Value y = g.node("AveragePool").inputs(x).ints("kernel_shape", 2, 2).ints("strides", 2, 2)
                .ints("pads", 0, 0, 1, 1).attr("ceil_mode", 1L).output();
        cleanly(g, y, 19);
        // ceil((4 + 1 - 2) / 2) + 1 = 3, but the third window would start at 4, inside the padding.
        assertType("tensor(float)[1,1,2,2]", y);
    }

    @Test
    void globalPoolingKeepsBatchAndChannels() {
        GraphBuilder g = GraphBuilder.create("g");
        Value y = g.op("GlobalAveragePool", floats(g, "x", "batch", "8", "7", "7"));
        cleanly(g, y, 17);
        assertType("tensor(float)[batch,8,1,1]", y);
    }

    @Test
    void convTransposeGrowsByTheStride() {
        GraphBuilder g = GraphBuilder.create("g");
        Value x = floats(g, "x", "1", "1", "3", "3");
        Value y = g.node("ConvTranspose").inputs(x, weight(g, 1, 2, 3, 3)).ints("strides", 2, 2).output();
        cleanly(g, y, 17);
        // 2 * (3 - 1) + 3 = 7
        assertType("tensor(float)[1,2,7,7]", y);
    }
}
