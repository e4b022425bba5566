package dev.tern.train.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.NodeBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.GradientModel;
import dev.tern.train.RuntimeExtension;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The specialized forms of gradient rules against the general forms on random inputs: the
 * loss and every gradient of one op under a loss sum(y * y), built once with
 * {@link GradientRules#standard()} and once with {@link GradientRules#generalOnly()}. Each case
 * also checks that the specialized form was taken (its marker op is in the graph), so a
 * condition that stopped matching cannot pass unnoticed. The convolution forms sum in a
 * different order, so they agree to float rounding; the max-pool form picks the same elements,
 * so it agrees exactly, ties included.
 */
class SpecializedGradientFormsTest extends RuntimeExtension {
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();

    @Test
    void convPaddedWithBiasAndSymbolicBatch() {
        OneOp conv = OneOp.of("Conv", node -> node.ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1))
                .batchedInput(3, 3, 5, 6).input(4, 3, 3, 3).input(4);
        assertAgree(conv, "MatMul", 1e-5);
    }

    @Test
    void convStridedDilatedAsymmetricPads() {
        OneOp conv = OneOp.of("Conv", node -> node.ints("strides", 2, 1).ints("dilations", 1, 2).ints("pads", 1, 0, 0, 1))
                .input(2, 2, 7, 6).input(3, 2, 2, 3);
        assertAgree(conv, "MatMul", 1e-5);
    }

    @Test
    void conv1d() {
        OneOp conv = OneOp.of("Conv", node -> node.ints("strides", 2).ints("pads", 1, 1)).input(2, 3, 9).input(4, 3, 3).input(4);
        assertAgree(conv, "MatMul", 1e-5);
    }

    @Test
    void conv3d() {
        OneOp conv = OneOp.of("Conv", node -> node.ints("pads", 0, 1, 0, 1, 0, 1)).input(2, 2, 4, 3, 3).input(3, 2, 2, 2, 2);
        assertAgree(conv, "MatMul", 1e-5);
    }

    @Test
    void convTransposeStridedWithOutputPadding() {
        OneOp convTranspose = OneOp.of("ConvTranspose", node -> node.ints("strides", 2, 2).ints("pads", 1, 0, 1, 0)
                        .ints("output_padding", 1, 1))
                .input(2, 3, 3, 4).input(3, 2, 3, 3).input(2);
        assertAgree(convTranspose, "MatMul", 1e-5);
    }

    @Test
    void maxPoolSquareWindows() {
        OneOp pool = OneOp.of("MaxPool", node -> node.ints("kernel_shape", 2, 2).ints("strides", 2, 2)).batchedInput(2, 3, 6, 4);
        assertAgree(pool, "Resize", 0);
    }

    /** Values from {0, 1, 2} tie in most windows; the gradient must still go to the first maximum only. */
    @Test
    void maxPoolWithTiesGoesToTheFirstMaximum() {
        OneOp pool = OneOp.of("MaxPool", node -> node.ints("kernel_shape", 2, 3).ints("strides", 2, 3)).input(2, 2, 4, 6)
                .withLevels(3);
        assertAgree(pool, "Resize", 0);
    }

    @Test
    void maxPool1d() {
        OneOp pool = OneOp.of("MaxPool", node -> node.ints("kernel_shape", 3).ints("strides", 3)).input(2, 2, 9).withLevels(4);
        assertAgree(pool, "Resize", 0);
    }

    @Test
    void generalFormsStayWhereTheSpecializedOnesDoNotApply() {
        OneOp groupedConv = OneOp.of("Conv", node -> node.attr("group", 2L)).input(1, 4, 4, 4).input(2, 2, 3, 3);
        assertFalse(hasOp(groupedConv.differentiate(GradientRules.standard()), "MatMul"), "grouped Conv");
        OneOp overlappingPool = OneOp.of("MaxPool", node -> node.ints("kernel_shape", 3, 3).ints("strides", 2, 2))
                .input(1, 2, 5, 5);
        assertFalse(hasOp(overlappingPool.differentiate(GradientRules.standard()), "Resize"), "overlapping MaxPool");
        OneOp oddPool = OneOp.of("MaxPool", node -> node.ints("kernel_shape", 2, 2).ints("strides", 2, 2)).input(1, 2, 5, 4);
        assertFalse(hasOp(oddPool.differentiate(GradientRules.standard()), "Resize"), "MaxPool leaving a row out");
    }

    private static void assertAgree(OneOp op, String markerOp, double tolerance) {
        GradientModel specialized = op.differentiate(GradientRules.standard());
        GradientModel general = op.differentiate(GradientRules.generalOnly());
        assertTrue(hasOp(specialized, markerOp), "the specialized form (with " + markerOp + ") was not taken");
        assertFalse(hasOp(general, markerOp), "the general form has " + markerOp);
        Map<String, Tensor> fromSpecialized = run(specialized, op.feeds());
        Map<String, Tensor> fromGeneral = run(general, op.feeds());
        assertClose(fromGeneral.get(general.lossOutput()), fromSpecialized.get(specialized.lossOutput()), tolerance, "loss");
        for (String name : op.feeds().keySet()) {
            assertClose(fromGeneral.get(general.gradientOutputs().get(name)),
                    fromSpecialized.get(specialized.gradientOutputs().get(name)), tolerance, "gradient of " + name);
        }
    }

    private static Map<String, Tensor> run(GradientModel gradients, Map<String, Tensor> feeds) {
        try (CompiledModel compiled = runtime.compile(gradients.model(), ONE_THREAD)) {
            return compiled.run(feeds);
        }
    }

    /** Equal shapes, and each element within {@code tolerance} relative to the largest magnitude. */
    private static void assertClose(Tensor expected, Tensor actual, double tolerance, String what) {
        assertArrayEquals(expected.dims(), actual.dims(), what + ": shape");
        float[] want = expected.toFloatArray();
        float[] got = actual.toFloatArray();
        float scale = 0;
        for (float value : want) {
            scale = Math.max(scale, Math.abs(value));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tolerance * Math.max(scale, 1), what + " [" + i + "]");
        }
    }

    private static boolean hasOp(GradientModel gradients, String opType) {
        return gradients.model().graph().nodes().stream().map(Node::opType).anyMatch(opType::equals);
    }

    /** One float op over random inputs x0, x1, ... (every one differentiated) and the loss sum(y * y). */
    private static final class OneOp {
        private final String opType;
        private final Consumer<NodeBuilder> attributes;
        private final List<Dim[]> declared = new ArrayList<>();
        private final List<long[]> sizes = new ArrayList<>();
        private int levels;

        private OneOp(String opType, Consumer<NodeBuilder> attributes) {
            this.opType = opType;
            this.attributes = attributes;
        }

        static OneOp of(String opType, Consumer<NodeBuilder> attributes) {
            return new OneOp(opType, attributes);
        }

        OneOp input(long... dims) {
            Dim[] dimensions = new Dim[dims.length];
            for (int i = 0; i < dims.length; i++) {
                dimensions[i] = Dim.of(dims[i]);
            }
            declared.add(dimensions);
            sizes.add(dims);
            return this;
        }

        /** An input whose first dimension is declared as the symbol "batch". */
        OneOp batchedInput(long... dims) {
            input(dims);
            declared.get(declared.size() - 1)[0] = Dim.of("batch");
            return this;
        }

        /** Draws the inputs from {@code count} integer levels instead of a continuous range, so they tie. */
        OneOp withLevels(int count) {
            this.levels = count;
            return this;
        }

        GradientModel differentiate(GradientRules rules) {
            GraphBuilder g = GraphBuilder.create(opType.toLowerCase() + "_forms");
            Value[] inputs = new Value[declared.size()];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = g.input("x" + i, ElementType.FLOAT, declared.get(i));
            }
            NodeBuilder node = g.node(opType).inputs(inputs);
            attributes.accept(node);
            Value y = node.output();
            g.output(g.op("ReduceSum", g.op("Mul", y, y)), "loss");
            Model model = g.toModel(17);
            return GradientGraphBuilder.build(model, "loss", List.copyOf(feeds().keySet()), rules);
        }

        Map<String, Tensor> feeds() {
            Random random = new Random(11);
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            for (int i = 0; i < sizes.size(); i++) {
                long count = 1;
                for (long size : sizes.get(i)) {
                    count *= size;
                }
                float[] values = new float[(int) count];
                for (int j = 0; j < values.length; j++) {
                    values[j] = levels > 0 ? random.nextInt(levels) : (float) random.nextGaussian();
                }
                feeds.put("x" + i, Tensor.ofFloats("x" + i, sizes.get(i), values));
            }
            return feeds;
        }
    }
}
