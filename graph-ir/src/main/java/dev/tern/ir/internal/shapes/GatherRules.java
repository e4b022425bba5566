package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/** Gather, GatherElements and GatherND. Gather also picks elements of followed shapes ({@code Shape(x)[0]}). */
final class GatherRules {
    private GatherRules() {
    }

    static void register(OpRegistry registry) {
        registry.add(GatherRules::gather, "Gather");
        registry.add(GatherRules::gatherElements, "GatherElements");
        registry.add(GatherRules::gatherNd, "GatherND");
    }

    /** data[:axis] + indices.shape + data[axis+1:]. */
    private static void gather(NodeContext node) {
        Shape data = node.shape(0);
        Shape indices = node.shape(1);
        if (!data.isRankKnown() || !indices.isRankKnown()) {
            return;
        }
        int axis = Dims.normalizeAxis(node.intAttr("axis", 0), data.rank(), "axis");
        List<Dim> dims = new ArrayList<>(data.dims().subList(0, axis));
        dims.addAll(indices.dims());
        dims.addAll(data.dims().subList(axis + 1, data.rank()));
        node.setOutput(0, node.elementType(0), dims);
        followContents(node, data.rank());
    }

    private static void followContents(NodeContext node, int dataRank) {
        List<IntElement> data = node.contents(0);
        long[] indices = node.longs(1);
        if (data == null || indices == null || dataRank != 1 || node.rank(1) > 1) {
            return;
        }
        List<IntElement> picked = new ArrayList<>();
        for (long index : indices) {
            if (index < -data.size() || index >= data.size()) {
                throw node.conflict("index " + index + " is out of range for a shape of " + data.size() + " elements");
            }
            picked.add(data.get((int) (index < 0 ? index + data.size() : index)));
        }
        node.setContents(0, picked);
    }

    private static void gatherElements(NodeContext node) {
        node.setOutput(0, node.elementType(0), node.shape(1));
    }

    /** indices.shape[:-1] + data.shape[batch_dims + indices.shape[-1]:]. */
    private static void gatherNd(NodeContext node) {
        Shape data = node.shape(0);
        Shape indices = node.shape(1);
        if (!data.isRankKnown() || !indices.isRankKnown() || indices.rank() == 0) {
            return;
        }
        long depth = Dims.size(indices.dim(indices.rank() - 1));
        if (depth < 0) {
            return;
        }
        int batchDims = (int) node.intAttr("batch_dims", 0);
        int from = (int) (batchDims + depth);
        if (from > data.rank()) {
            throw node.conflict("indices reach " + from + " axes into data of rank " + data.rank());
        }
        List<Dim> dims = new ArrayList<>(indices.dims().subList(0, indices.rank() - 1));
        dims.addAll(data.dims().subList(from, data.rank()));
        node.setOutput(0, node.elementType(0), dims);
    }
}
