package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Ops that fit no other family: TopK, NonZero, OneHot, Pad, Resize, Compress, quantization,
 * random generators and GridSample.
 */
final class MiscRules {
    private MiscRules() {
    }

    static void register(OpRegistry registry) {
        registry.add("TopK", 1, 9, node -> topK(node, node.intAttr("k", -1)));
        registry.addSince("TopK", 10, node -> topK(node, node.longs(1) == null ? -1 : node.longs(1)[0]));
        registry.add(MiscRules::nonZero, "NonZero");
        registry.add(MiscRules::oneHot, "OneHot");
        registry.add("Pad", 1, 10, node -> pad(node, node.intsAttr(node.opset() < 2 ? "paddings" : "pads"), null));
        registry.addSince("Pad", 11, node -> pad(node, node.longs(1), node.hasInput(3) ? node.longs(3) : null));
        registry.addSince("Resize", 11, MiscRules::resize);
        registry.add(MiscRules::compress, "Compress");
        registry.add(MiscRules::quantize, "QuantizeLinear");
        registry.add(MiscRules::dequantize, "DequantizeLinear");
        registry.add(MiscRules::dynamicQuantize, "DynamicQuantizeLinear");
        registry.add(MiscRules::randomWithShape, "RandomNormal", "RandomUniform");
        registry.add(MiscRules::bernoulli, "Bernoulli");
        registry.add(MiscRules::gridSample, "GridSample");
    }

    /** Values and int64 indices: the input's shape with {@code axis} cut to k. */
    private static void topK(NodeContext node, long k) {
        Shape input = node.shape(0);
        if (!input.isRankKnown()) {
            return;
        }
        int axis = Dims.normalizeAxis(node.intAttr("axis", -1), input.rank(), "axis");
        List<Dim> dims = new ArrayList<>(input.dims());
        dims.set(axis, k < 0 ? Dim.UNKNOWN : Dim.of(k));
        node.setOutput(0, node.elementType(0), dims);
        node.setOutput(1, ElementType.INT64, dims);
    }

    /** [rank, count of non-zero elements], the count known only at run time. */
    private static void nonZero(NodeContext node) {
        int rank = node.rank(0);
        node.setOutput(0, ElementType.INT64, List.of(rank < 0 ? Dim.UNKNOWN : Dim.of(rank), Dim.UNKNOWN));
    }

    /** The indices' shape with the depth inserted at {@code axis}, in the values' type. */
    private static void oneHot(NodeContext node) {
        Shape indices = node.shape(0);
        if (!indices.isRankKnown()) {
            return;
        }
        double[] depth = node.doubles(1);
        List<Dim> dims = new ArrayList<>(indices.dims());
        int axis = Dims.normalizeAxis(node.intAttr("axis", -1), dims.size() + 1, "axis");
        dims.add(axis, depth == null ? Dim.UNKNOWN : Dim.of((long) depth[0]));
        node.setOutput(0, node.elementType(2), dims);
    }

    /** Each padded axis grows by its begin and end pads (negative pads crop); {@code axes} (opset 18) picks the axes. */
    private static void pad(NodeContext node, long[] pads, long[] axes) {
        Shape input = node.shape(0);
        if (!input.isRankKnown()) {
            return;
        }
        int rank = input.rank();
        if (pads == null || node.hasInput(3) && axes == null) {
            node.setOutput(0, node.elementType(0), Collections.nCopies(rank, Dim.UNKNOWN));
            return;
        }
        int padded = axes == null ? rank : axes.length;
        if (pads.length != 2 * padded) {
            throw node.conflict("pads has " + pads.length + " entries for " + padded + " axes");
        }
        List<Dim> dims = new ArrayList<>(input.dims());
        for (int i = 0; i < padded; i++) {
            int axis = axes == null ? i : Dims.normalizeAxis(axes[i], rank, "axis");
            dims.set(axis, Dims.plus(dims.get(axis), pads[i] + pads[i + padded], "padded axis " + axis));
        }
        node.setOutput(0, node.elementType(0), dims);
    }

    /** Resize to constant sizes, or by constant scales (each size rounded down); other forms keep only the rank. */
    private static void resize(NodeContext node) {
        Shape input = node.shape(0);
        if (!input.isRankKnown()) {
            return;
        }
        int rank = input.rank();
        long[] sizes = node.longs(3);
        double[] scales = node.doubles(2);
        boolean plain = !node.hasAttribute("axes")
                && node.stringAttr("keep_aspect_ratio_policy", "stretch").equals("stretch");
        List<Dim> dims = new ArrayList<>(Collections.nCopies(rank, Dim.UNKNOWN));
        if (plain && sizes != null && sizes.length == rank) {
            for (int axis = 0; axis < rank; axis++) {
                dims.set(axis, Dim.of(sizes[axis]));
            }
        } else if (plain && !node.hasInput(3) && scales != null && scales.length == rank) {
            for (int axis = 0; axis < rank; axis++) {
                Dim in = input.dim(axis);
                dims.set(axis, in.isKnown() ? Dim.of((long) Math.floor(Dims.size(in) * scales[axis])) : Dim.UNKNOWN);
            }
        }
        node.setOutput(0, node.elementType(0), dims);
    }

    /** Along {@code axis} the kept count is known only at run time; without an axis the output is 1-D. */
    private static void compress(NodeContext node) {
        Shape input = node.shape(0);
        if (!node.hasAttribute("axis")) {
            node.setOutput(0, node.elementType(0), List.of(Dim.UNKNOWN));
            return;
        }
        if (!input.isRankKnown()) {
            return;
        }
        List<Dim> dims = new ArrayList<>(input.dims());
        dims.set(Dims.normalizeAxis(node.intAttr("axis", 0), input.rank(), "axis"), Dim.UNKNOWN);
        node.setOutput(0, node.elementType(0), dims);
    }

    /** The zero point's type (uint8 without one, or output_dtype from opset 21), the input's shape. */
    private static void quantize(NodeContext node) {
        ElementType type = node.hasInput(2) ? node.elementType(2) : ElementType.UINT8;
        if (node.intAttr("output_dtype", 0) != 0) {
            type = ElementType.fromOnnxCode((int) node.intAttr("output_dtype", 0));
        }
        node.setOutput(0, type, node.shape(0));
    }

    /** The scale's type (or output_dtype from opset 23), the input's shape. */
    private static void dequantize(NodeContext node) {
        ElementType type = node.elementType(1);
        if (node.intAttr("output_dtype", 0) != 0) {
            type = ElementType.fromOnnxCode((int) node.intAttr("output_dtype", 0));
        }
        node.setOutput(0, type, node.shape(0));
    }

    private static void dynamicQuantize(NodeContext node) {
        node.setOutput(0, ElementType.UINT8, node.shape(0));
        node.setOutput(1, ElementType.FLOAT, Shape.scalar());
        node.setOutput(2, ElementType.UINT8, Shape.scalar());
    }

    private static void randomWithShape(NodeContext node) {
        long[] shape = node.intsAttr("shape");
        if (shape != null) {
            node.setOutput(0, ElementType.fromOnnxCode((int) node.intAttr("dtype", ElementType.FLOAT.onnxCode())),
                    Shape.of(shape));
        }
    }

    private static void bernoulli(NodeContext node) {
        ElementType type = node.hasAttribute("dtype")
                ? ElementType.fromOnnxCode((int) node.intAttr("dtype", 0)) : node.elementType(0);
        node.setOutput(0, type, node.shape(0));
    }

    /** [N, C] of the input, then the grid's spatial dims: grid [N, H_out, W_out, 2]. */
    private static void gridSample(NodeContext node) {
        Shape input = node.shape(0);
        Shape grid = node.shape(1);
        if (!input.isRankKnown() || !grid.isRankKnown()) {
            return;
        }
        List<Dim> dims = new ArrayList<>(List.of(input.dim(0), input.dim(1)));
        dims.addAll(grid.dims().subList(1, grid.rank() - 1));
        node.setOutput(0, node.elementType(0), dims);
    }
}
