package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/** Slice: starts, ends and axes are attributes before opset 10 and inputs (with steps) from then on. */
final class SliceRules {
    /** An end at or beyond this reads as "to the end" even when the dimension is not known. */
    private static final long TO_THE_END = Integer.MAX_VALUE;

    private SliceRules() {
    }

    static void register(OpRegistry registry) {
        registry.add("Slice", 1, 9, node -> slice(node, node.intsAttr("starts"), node.intsAttr("ends"),
                node.intsAttr("axes"), null, true));
        registry.addSince("Slice", 10, node -> slice(node, node.longs(1), node.longs(2), node.longs(3), node.longs(4),
                !node.hasInput(3) || node.longs(3) != null));
    }

    /**
     * @param axes {@code null} means all axes in order when {@code axesKnown}, unknown axes otherwise
     * @param steps {@code null} means steps of 1
     */
    private static void slice(NodeContext node, long[] starts, long[] ends, long[] axes, long[] steps,
                              boolean axesKnown) {
        Shape input = node.shape(0);
        if (!input.isRankKnown()) {
            return;
        }
        List<Dim> dims = new ArrayList<>(input.dims());
        if (starts == null || ends == null || !axesKnown || steps == null && node.hasInput(4)) {
            // Which axes change, or by how much, is not known; the rank still holds.
            if (axes != null) {
                for (long axis : axes) {
                    dims.set(Dims.normalizeAxis(axis, input.rank(), "axis"), Dim.UNKNOWN);
                }
            } else {
                dims.replaceAll(dim -> Dim.UNKNOWN);
            }
            node.setOutput(0, node.elementType(0), dims);
            return;
        }
        if (starts.length != ends.length || axes != null && axes.length != starts.length
                || steps != null && steps.length != starts.length) {
            throw node.conflict("starts, ends, axes and steps differ in length");
        }
        for (int i = 0; i < starts.length; i++) {
            int axis = Dims.normalizeAxis(axes == null ? i : axes[i], input.rank(), "axis");
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw node.conflict("step " + i + " is 0");
            }
            dims.set(axis, length(input.dim(axis), starts[i], ends[i], step));
        }
        node.setOutput(0, node.elementType(0), dims);
        followContents(node, starts, ends, steps, input.rank());
    }

    /** The number of elements a slice takes from a dimension, as ONNX clamps starts and ends. */
    static Dim length(Dim dim, long start, long end, long step) {
        if (!dim.isKnown()) {
            return start == 0 && step == 1 && end >= TO_THE_END ? dim : Dim.UNKNOWN;
        }
        long size = Dims.size(dim);
        long[] range = clampedRange(size, start, end, step);
        long span = step > 0 ? range[1] - range[0] : range[0] - range[1];
        long stride = Math.abs(step);
        return Dim.of(Math.max(0, (span + stride - 1) / stride));
    }

    private static long[] clampedRange(long size, long start, long end, long step) {
        long first = start < 0 ? start + size : start;
        long last = end < 0 ? end + size : end;
        if (step > 0) {
            first = Math.max(0, Math.min(first, size));
            last = Math.max(0, Math.min(last, size));
        } else {
            first = Math.max(0, Math.min(first, size - 1));
            last = Math.max(-1, Math.min(last, size - 1));
        }
        return new long[] {first, last};
    }

    /** Slicing a followed 1-D shape ({@code Shape(x)[1:]}) keeps the chosen elements. */
    private static void followContents(NodeContext node, long[] starts, long[] ends, long[] steps, int rank) {
        List<IntElement> contents = node.contents(0);
        if (contents == null || rank != 1 || starts.length != 1) {
            return;
        }
        long step = steps == null ? 1 : steps[0];
        long[] range = clampedRange(contents.size(), starts[0], ends[0], step);
        List<IntElement> sliced = new ArrayList<>();
        for (long i = range[0]; step > 0 ? i < range[1] : i > range[1]; i += step) {
            sliced.add(contents.get((int) i));
        }
        node.setContents(0, sliced);
    }
}
