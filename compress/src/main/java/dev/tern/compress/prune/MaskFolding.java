package dev.tern.compress.prune;

import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import dev.tern.ir.passes.Pass;

import java.util.List;

/**
 * Folds the masks {@link MaskInsertion} put in, on a copy: each {@code Mul(w, mask)} becomes
 * the plain weight {@code w} holding {@code w * mask} with exact zeros, its readers read it
 * directly, and the Mul and the mask's Constant go. The result has no mask nodes: an ordinary
 * model whose pruned weights are zeros.
 *
 * <p>Requires nothing. Ensures: no node carries the {@value MaskInsertion#MASK_MARK} mark.
 */
public final class MaskFolding extends Pass {
    @Override
    public String name() {
        return "prune-mask-folding";
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    protected boolean run(Model model) {
        Graph graph = model.graph();
        GraphEditor editor = GraphEditor.of(graph);
        boolean folded = false;
        for (Node constant : List.copyOf(graph.nodes())) {
            String weightName = constant.metadataProps().get(MaskInsertion.MASK_MARK);
            if (weightName == null) {
                continue;
            }
            Value weight = graph.initializers().get(weightName);
            Value mask = constant.output(0);
            for (Value.Use use : List.copyOf(mask.uses())) {
                Node mul = use.node();
                if (!mul.opType().equals("Mul") || mul.input(0) != weight) {
                    throw new PruningException("mask of weight '" + weightName + "' is read by " + mul.describe()
                            + ", expected Mul(" + weightName + ", mask)");
                }
                weight.setInitializer(PruningMasks.masked(weight.initializer(),
                        constant.attribute("value").orElseThrow().asTensor()));
                editor.replaceAllUsesWith(mul.output(0), weight);
                editor.removeNode(mul);
            }
            editor.removeNode(constant);
            folded = true;
        }
        return folded;
    }

    @Override
    protected void ensures(Model model) {
        for (Node node : model.graph().nodes()) {
            if (node.metadataProps().containsKey(MaskInsertion.MASK_MARK)) {
                throw new IllegalStateException("mask node " + node.describe() + " is still in the graph");
            }
        }
    }
}
