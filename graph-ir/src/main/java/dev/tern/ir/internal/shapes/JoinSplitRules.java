package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/** Concat and Split, whose split sizes are an attribute before opset 13, an input from then on, and may be a count from opset 18. */
final class JoinSplitRules {
    private JoinSplitRules() {
    }

    static void register(OpRegistry registry) {
        registry.add(JoinSplitRules::concat, "Concat");
        registry.add("Split", 1, 12, node -> split(node, node.hasInput(1) ? node.longs(1) : node.intsAttr("split"),
                node.hasInput(1) || node.hasAttribute("split")));
        registry.addSince("Split", 13, node -> split(node, node.longs(1), node.hasInput(1)));
    }

    private static void concat(NodeContext node) {
        ElementType type = null;
        Shape first = null;
        for (int i = 0; i < node.inputCount(); i++) {
            type = type == null ? node.elementType(i) : type;
            if (node.shape(i).isRankKnown()) {
                first = first == null ? node.shape(i) : first;
            }
        }
        if (first == null) {
            node.setOutput(0, type, Shape.unknownRank());
            return;
        }
        int rank = first.rank();
        int axis = Dims.normalizeAxis(node.intAttr("axis", 0), rank, "axis");
        List<Dim> dims = new ArrayList<>(first.dims());
        dims.set(axis, Dim.of(0));
        for (int i = 0; i < node.inputCount(); i++) {
            Shape shape = node.shape(i);
            if (!shape.isRankKnown()) {
                dims.set(axis, Dim.UNKNOWN);
                continue;
            }
            if (shape.rank() != rank) {
                throw node.conflict("input " + i + " has rank " + shape.rank() + ", input 0 has rank " + rank);
            }
            for (int d = 0; d < rank; d++) {
                if (d == axis) {
                    dims.set(d, Dims.add(dims.get(d), shape.dim(d)));
                } else if (!Dims.compatible(dims.get(d), shape.dim(d))) {
                    throw node.conflict("input " + i + " has " + shape.dim(d) + " on axis " + d + " where another has " + dims.get(d));
                } else {
                    dims.set(d, Dims.unify(dims.get(d), shape.dim(d)));
                }
            }
        }
        node.setOutput(0, type, dims);
        followContents(node, rank);
    }

    /** Concatenated shapes ({@code Concat(Shape(x)[0:2], [-1])}) keep their elements. */
    private static void followContents(NodeContext node, int rank) {
        if (rank != 1) {
            return;
        }
        List<IntElement> joined = new ArrayList<>();
        for (int i = 0; i < node.inputCount(); i++) {
            List<IntElement> part = node.contents(i);
            if (part == null) {
                return;
            }
            joined.addAll(part);
        }
        node.setContents(0, joined);
    }

    /**
     * Split along {@code axis} into the given sizes, or into equal parts (the last one smaller
     * when opset 18's {@code num_outputs} does not divide the size); {@code sizesGiven} is true
     * when sizes exist even if their values are not known.
     */
    private static void split(NodeContext node, long[] sizes, boolean sizesGiven) {
        Shape input = node.shape(0);
        int outputs = node.outputCount();
        if (!input.isRankKnown()) {
            return;
        }
        int axis = Dims.normalizeAxis(node.intAttr("axis", 0), input.rank(), "axis");
        Dim whole = input.dim(axis);
        if (sizes != null && sizes.length != outputs) {
            throw node.conflict("split has " + sizes.length + " sizes for " + outputs + " outputs");
        }
        for (int i = 0; i < outputs; i++) {
            Dim part;
            if (sizes != null) {
                part = Dim.of(sizes[i]);
            } else if (sizesGiven || !whole.isKnown()) {
                part = Dim.UNKNOWN;
            } else {
                part = equalPart(node, Dims.size(whole), outputs, i);
            }
            List<Dim> dims = new ArrayList<>(input.dims());
            dims.set(axis, part);
            node.setOutput(i, node.elementType(0), dims);
        }
    }

    private static Dim equalPart(NodeContext node, long whole, int parts, int index) {
        if (whole % parts == 0) {
            return Dim.of(whole / parts);
        }
        if (!node.hasAttribute("num_outputs")) {
            throw node.conflict("axis of size " + whole + " does not split into " + parts + " equal parts");
        }
        long chunk = (whole + parts - 1) / parts;
        return Dim.of(index < parts - 1 ? chunk : whole - chunk * (parts - 1));
    }
}
