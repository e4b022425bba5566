package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/** BatchNormalization, LayerNormalization and GroupNormalization: the output keeps X's type; the extra statistics outputs are typed too. */
final class NormalizationRules {
    private NormalizationRules() {
    }

    static void register(OpRegistry registry) {
        registry.add(NormalizationRules::batchNormalization, "BatchNormalization");
        registry.add(NormalizationRules::layerNormalization, "LayerNormalization");
        registry.add(node -> node.setOutput(0, node.elementType(0), node.shape(0)), "GroupNormalization");
    }

    /** Since opset 14 the optional outputs are the updated running mean and variance, typed like inputs 3 and 4. */
    private static void batchNormalization(NodeContext node) {
        node.setOutput(0, node.elementType(0), node.shape(0));
        if (node.opset() >= 14) {
            node.setOutput(1, node.inputType(3));
            node.setOutput(2, node.inputType(4));
        }
    }

    /** Mean and InvStdDev keep X's dimensions before {@code axis} and have 1 from there on, in the stash type. */
    private static void layerNormalization(NodeContext node) {
        Shape x = node.shape(0);
        node.setOutput(0, node.elementType(0), x);
        if (!x.isRankKnown()) {
            return;
        }
        int axis = Dims.normalizeAxis(node.intAttr("axis", -1), x.rank(), "axis");
        List<Dim> dims = new ArrayList<>(x.dims());
        for (int i = axis; i < dims.size(); i++) {
            dims.set(i, Dims.one());
        }
        ElementType stash = ElementType.fromOnnxCode((int) node.intAttr("stash_type", ElementType.FLOAT.onnxCode()));
        node.setOutput(1, stash, dims);
        node.setOutput(2, stash, dims);
    }
}
