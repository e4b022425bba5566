package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reductions (axes an attribute until ReduceSum moved them to an input in opset 13 and the
 * others in opset 18; {@code keepdims}; {@code noop_with_empty_axes}) and ArgMax/ArgMin.
 */
final class ReductionRules {
    private static final List<String> AXES_INPUT_SINCE_18 = List.of("ReduceMean", "ReduceMax", "ReduceMin",
            "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare");

    private ReductionRules() {
    }

    static void register(OpRegistry registry) {
        registry.add("ReduceSum", 1, 12, ReductionRules::axesFromAttribute);
        registry.addSince("ReduceSum", 13, ReductionRules::axesFromInput);
        for (String op : AXES_INPUT_SINCE_18) {
            registry.add(op, 1, 17, ReductionRules::axesFromAttribute);
            registry.addSince(op, 18, ReductionRules::axesFromInput);
        }
        registry.add(ReductionRules::argReduce, "ArgMax", "ArgMin");
    }

    private static void axesFromAttribute(NodeContext node) {
        reduce(node, node.intsAttr("axes"), true);
    }

    private static void axesFromInput(NodeContext node) {
        reduce(node, node.longs(1), !node.hasInput(1) || node.longs(1) != null);
    }

    /**
     * @param axes {@code null} or empty: every axis, or none with {@code noop_with_empty_axes}
     * @param axesKnown false when axes are an input whose values are not known
     */
    private static void reduce(NodeContext node, long[] axes, boolean axesKnown) {
        Shape input = node.shape(0);
        boolean keepDims = node.intAttr("keepdims", 1) != 0;
        if (!input.isRankKnown()) {
            return;
        }
        if (!axesKnown) {
            if (keepDims) {
                node.setOutput(0, node.elementType(0), Collections.nCopies(input.rank(), Dim.UNKNOWN));
            }
            return;
        }
        boolean empty = axes == null || axes.length == 0;
        if (empty && node.intAttr("noop_with_empty_axes", 0) != 0) {
            node.setOutput(0, node.elementType(0), input);
            return;
        }
        Set<Integer> reduced = new TreeSet<>();
        for (int axis = 0; empty && axis < input.rank(); axis++) {
            reduced.add(axis);
        }
        if (!empty) {
            for (long axis : axes) {
                reduced.add(Dims.normalizeAxis(axis, input.rank(), "axis"));
            }
        }
        node.setOutput(0, node.elementType(0), reducedDims(input, reduced, keepDims));
    }

    private static List<Dim> reducedDims(Shape input, Set<Integer> reduced, boolean keepDims) {
        List<Dim> dims = new ArrayList<>();
        for (int axis = 0; axis < input.rank(); axis++) {
            if (!reduced.contains(axis)) {
                dims.add(input.dim(axis));
            } else if (keepDims) {
                dims.add(Dims.one());
            }
        }
        return dims;
    }

    /** ArgMax/ArgMin: one axis reduced, int64 indices. */
    private static void argReduce(NodeContext node) {
        Shape input = node.shape(0);
        if (!input.isRankKnown()) {
            node.setOutput(0, ElementType.INT64, Shape.unknownRank());
            return;
        }
        int axis = Dims.normalizeAxis(node.intAttr("axis", 0), input.rank(), "axis");
        node.setOutput(0, ElementType.INT64, reducedDims(input, Set.of(axis), node.intAttr("keepdims", 1) != 0));
    }
}
