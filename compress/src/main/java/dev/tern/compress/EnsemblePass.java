package dev.tern.compress;

import dev.tern.compress.internal.EnsembleGraph;
import dev.tern.compress.internal.EnsembleOpsets;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.passes.Pass;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges member models into the empty model it is applied to, in place: the pass behind
 * {@link Ensemble#merge}. Every member node, value and initializer name gets the prefix
 * {@code m0/}, {@code m1/}, ...; graph inputs are shared by name (a member of another rank is fed
 * through a Reshape when one fits); each member's first output becomes probabilities and is
 * combined into the output {@value Ensemble#PROBABILITIES} (and {@value Ensemble#LABEL} for
 * {@link CombineMode#VOTE}).
 *
 * <p>Requires: the model's graph is empty and its opset imports are the members' merged ones
 * ({@link Ensemble#merge} prepares such a model). Ensures: the outputs are named as above.
 */
public final class EnsemblePass extends Pass {
    private final List<Model> members;
    private final CombineMode mode;
    private final double[] weights;

    /**
     * @param weights one per member for {@link CombineMode#WEIGHTED}, scaled to sum to 1; empty otherwise
     */
    EnsemblePass(List<Model> members, CombineMode mode, double[] weights) {
        this.members = List.copyOf(members);
        this.mode = Objects.requireNonNull(mode, "mode");
        this.weights = weights.clone();
    }

    @Override
    public String name() {
        return "ensemble";
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    protected void requires(Model model) {
        Graph graph = model.graph();
        if (graph.nodeCount() > 0 || !graph.inputs().isEmpty() || !graph.outputs().isEmpty()
                || !graph.initializers().isEmpty()) {
            throw new IllegalStateException("expected an empty graph to build the ensemble in, found " + graph);
        }
        Map<String, Long> merged = EnsembleOpsets.merge(members);
        if (!model.opsetImports().equals(merged)) {
            throw new IllegalStateException("expected the members' opset imports " + merged + ", found "
                    + model.opsetImports());
        }
    }

    @Override
    protected boolean run(Model model) {
        EnsembleGraph.build(model.graph(), members, mode, weights, Ensemble.PROBABILITIES, Ensemble.LABEL);
        return true;
    }

    @Override
    protected void ensures(Model model) {
        List<String> expected = mode == CombineMode.VOTE
                ? List.of(Ensemble.PROBABILITIES, Ensemble.LABEL)
                : List.of(Ensemble.PROBABILITIES);
        List<String> found = model.graph().outputs().stream().map(v -> v.name()).toList();
        if (!found.equals(expected)) {
            throw new IllegalStateException("expected outputs " + expected + ", found " + found);
        }
        model.validate();
    }
}
