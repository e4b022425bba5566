package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Squeeze and Unsqueeze, whose axes are an attribute before opset 13 and an input from then on. */
final class AxisRules {
    private AxisRules() {
    }

    static void register(OpRegistry registry) {
        registry.add("Squeeze", 1, 12, node -> squeeze(node, node.intsAttr("axes"), true));
        registry.addSince("Squeeze", 13, node -> squeeze(node, node.longs(1), !node.hasInput(1)));
        registry.add("Unsqueeze", 1, 12, node -> unsqueeze(node, node.intsAttr("axes")));
        registry.addSince("Unsqueeze", 13, node -> unsqueeze(node, node.longs(1)));
    }

    /**
     * Removes {@code axes}, or every dimension of size 1 when no axes are given; {@code axesKnown}
     * is false when they are an input whose values are not known.
     */
    private static void squeeze(NodeContext node, long[] axes, boolean axesKnown) {
        Shape input = node.shape(0);
        if (!input.isRankKnown() || !axesKnown && axes == null) {
            return;
        }
        List<Dim> dims = new ArrayList<>();
        if (axes == null || axes.length == 0) {
            for (Dim dim : input.dims()) {
                if (!dim.isKnown()) {
                    // A symbolic dimension may or may not be 1: the rank is unknown.
                    return;
                }
                if (!Dims.isOne(dim)) {
                    dims.add(dim);
                }
            }
        } else {
            TreeSet<Integer> removed = new TreeSet<>();
            for (long axis : axes) {
                int normalized = Dims.normalizeAxis(axis, input.rank(), "axis");
                Dim dim = input.dim(normalized);
                if (dim.isKnown() && !Dims.isOne(dim)) {
                    throw node.conflict("cannot squeeze axis " + axis + " of size " + dim);
                }
                removed.add(normalized);
            }
            for (int axis = 0; axis < input.rank(); axis++) {
                if (!removed.contains(axis)) {
                    dims.add(input.dim(axis));
                }
            }
        }
        node.setOutput(0, node.elementType(0), dims);
        node.setContents(0, node.contents(0));
    }

    private static void unsqueeze(NodeContext node, long[] axes) {
        Shape input = node.shape(0);
        if (!input.isRankKnown() || axes == null) {
            return;
        }
        int rank = input.rank() + axes.length;
        TreeSet<Integer> inserted = new TreeSet<>();
        for (long axis : axes) {
            if (!inserted.add(Dims.normalizeAxis(axis, rank, "axis"))) {
                throw node.conflict("axis " + axis + " is given twice");
            }
        }
        List<Dim> dims = new ArrayList<>(rank);
        int next = 0;
        for (int axis = 0; axis < rank; axis++) {
            dims.add(inserted.contains(axis) ? Dims.one() : input.dim(next++));
        }
        node.setOutput(0, node.elementType(0), dims);
        if (rank <= 1) {
            node.setContents(0, node.contents(0));
        }
    }
}
