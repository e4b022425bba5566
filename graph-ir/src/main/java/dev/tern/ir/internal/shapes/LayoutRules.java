package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Ops that rearrange a tensor's elements into another shape: Reshape, Flatten, Transpose, Expand, Tile, DepthToSpace, SpaceToDepth. */
final class LayoutRules {
    private LayoutRules() {
    }

    static void register(OpRegistry registry) {
        // Before opset 5 the target shape was an attribute.
        registry.add("Reshape", 1, 4, node -> reshape(node, elementsOf(node.intsAttr("shape"))));
        registry.addSince("Reshape", 5, LayoutRules::reshapeFromInput);
        registry.add(LayoutRules::flatten, "Flatten");
        registry.add(LayoutRules::transpose, "Transpose");
        registry.add(LayoutRules::expand, "Expand");
        registry.add(LayoutRules::tile, "Tile");
        registry.add(LayoutRules::depthToSpace, "DepthToSpace");
        registry.add(LayoutRules::spaceToDepth, "SpaceToDepth");
    }

    private static List<IntElement> elementsOf(long[] numbers) {
        if (numbers == null) {
            return null;
        }
        List<IntElement> elements = new ArrayList<>();
        for (long number : numbers) {
            elements.add(IntElement.of(number));
        }
        return elements;
    }

    private static void reshapeFromInput(NodeContext node) {
        List<IntElement> target = node.contents(1);
        if (target == null) {
            // Without the target's values, its length is still the output's rank.
            Shape targetShape = node.shape(1);
            if (targetShape.isRankKnown() && targetShape.rank() == 1 && targetShape.dim(0).isKnown()) {
                int rank = (int) Dims.size(targetShape.dim(0));
                node.setOutput(0, node.elementType(0), Collections.nCopies(rank, Dim.UNKNOWN));
            }
            return;
        }
        reshape(node, target);
    }

    /** Reshape to {@code target}: 0 copies the input's dimension (unless allowzero), -1 takes what is left. */
    private static void reshape(NodeContext node, List<IntElement> target) {
        if (target == null) {
            return;
        }
        Shape input = node.shape(0);
        boolean allowZero = node.intAttr("allowzero", 0) != 0;
        List<Dim> dims = new ArrayList<>(target.size());
        int inferredAxis = -1;
        for (int axis = 0; axis < target.size(); axis++) {
            IntElement entry = target.get(axis);
            if (entry.isNumber() && entry.number() == -1) {
                if (inferredAxis >= 0) {
                    throw node.conflict("the target shape has more than one -1");
                }
                inferredAxis = axis;
                dims.add(Dim.UNKNOWN);
            } else if (entry.isNumber() && entry.number() == 0 && !allowZero) {
                if (!input.isRankKnown()) {
                    dims.add(Dim.UNKNOWN);
                } else if (axis >= input.rank()) {
                    throw node.conflict("target entry " + axis + " is 0 (copy), but the input has rank " + input.rank());
                } else {
                    dims.add(input.dim(axis));
                }
            } else if (entry.isNumber() && entry.number() < -1) {
                throw node.conflict("target entry " + axis + " is " + entry.number());
            } else {
                dims.add(entry.asDim());
            }
        }
        if (inferredAxis >= 0 && input.isRankKnown()) {
            List<Dim> others = new ArrayList<>(dims);
            others.remove(inferredAxis);
            dims.set(inferredAxis, SizeRatio.remaining(input.dims(), others, node));
        }
        node.setOutput(0, node.elementType(0), dims);
        if (dims.size() <= 1) {
            node.setContents(0, node.contents(0));
        }
    }

    /** Flatten: the dimensions before {@code axis} multiplied into one, those after into another. */
    private static void flatten(NodeContext node) {
        Shape input = node.shape(0);
        if (!input.isRankKnown()) {
            node.setOutput(0, node.elementType(0), List.of(Dim.UNKNOWN, Dim.UNKNOWN));
            return;
        }
        long axis = node.intAttr("axis", 1);
        int split = axis == input.rank() ? input.rank() : Dims.normalizeAxis(axis, input.rank(), "axis");
        List<Dim> dims = input.dims();
        node.setOutput(0, node.elementType(0),
                List.of(Dims.product(dims.subList(0, split)), Dims.product(dims.subList(split, dims.size()))));
    }

    private static void transpose(NodeContext node) {
        Shape input = node.shape(0);
        long[] perm = node.intsAttr("perm");
        if (!input.isRankKnown()) {
            if (perm != null) {
                node.setOutput(0, node.elementType(0), Collections.nCopies(perm.length, Dim.UNKNOWN));
            }
            return;
        }
        int rank = input.rank();
        if (perm == null) {
            perm = new long[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = rank - 1 - i;
            }
        }
        if (perm.length != rank) {
            throw node.conflict("perm has " + perm.length + " entries for an input of rank " + rank);
        }
        List<Dim> dims = new ArrayList<>(rank);
        for (long axis : perm) {
            dims.add(input.dim(Dims.normalizeAxis(axis, rank, "perm entry")));
        }
        node.setOutput(0, node.elementType(0), dims);
    }

    /** Expand: the input broadcast with the target shape (which may also be broadcast by the input). */
    private static void expand(NodeContext node) {
        List<IntElement> target = node.contents(1);
        Shape targetShape;
        if (target != null) {
            List<Dim> dims = new ArrayList<>();
            target.forEach(entry -> dims.add(entry.asDim()));
            targetShape = Shape.of(dims);
        } else if (node.rank(1) == 1 && node.shape(1).dim(0).isKnown()) {
            targetShape = Shape.of(Collections.nCopies((int) Dims.size(node.shape(1).dim(0)), Dim.UNKNOWN));
        } else {
            return;
        }
        node.setOutput(0, node.elementType(0), Broadcasting.broadcast(node.shape(0), targetShape));
    }

    /** Each axis times its repeat count; a count read with Shape may be symbolic ({@code Tile(x, [batch, 1])} of x [1, 8]). */
    private static void tile(NodeContext node) {
        Shape input = node.shape(0);
        if (!input.isRankKnown()) {
            return;
        }
        List<IntElement> repeats = node.contents(1);
        if (repeats != null && repeats.size() != input.rank()) {
            throw node.conflict("repeats has " + repeats.size() + " entries for an input of rank " + input.rank());
        }
        List<Dim> dims = new ArrayList<>(input.rank());
        for (int axis = 0; axis < input.rank(); axis++) {
            if (repeats == null) {
                dims.add(Dim.UNKNOWN);
                continue;
            }
            IntElement count = repeats.get(axis);
            if (count.isNumber() && count.number() < 0) {
                throw node.conflict("repeat count " + count + " for axis " + axis + " is negative");
            }
            dims.add(Dims.multiply(input.dim(axis), count.asDim()));
        }
        node.setOutput(0, node.elementType(0), dims);
    }

    private static void depthToSpace(NodeContext node) {
        rearrangeBlocks(node, true);
    }

    private static void spaceToDepth(NodeContext node) {
        rearrangeBlocks(node, false);
    }

    /** [N, C, H, W] to [N, C/b², H·b, W·b] (depth to space) or back. */
    private static void rearrangeBlocks(NodeContext node, boolean toSpace) {
        Shape input = node.shape(0);
        if (!input.isRankKnown()) {
            return;
        }
        if (input.rank() != 4) {
            throw node.conflict("input has rank " + input.rank() + ", needs 4");
        }
        long block = node.intAttr("blocksize", 1);
        Dim area = Dim.of(block * block);
        Dim channels = input.dim(1);
        Dim newChannels = toSpace ? SizeRatio.divide(channels, area) : Dims.multiply(channels, area);
        Dim height = toSpace ? Dims.multiply(input.dim(2), Dim.of(block)) : SizeRatio.divide(input.dim(2), Dim.of(block));
        Dim width = toSpace ? Dims.multiply(input.dim(3), Dim.of(block)) : SizeRatio.divide(input.dim(3), Dim.of(block));
        node.setOutput(0, node.elementType(0), List.of(input.dim(0), newChannels, height, width));
    }
}
