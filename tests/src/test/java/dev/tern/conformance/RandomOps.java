package dev.tern.conformance;

import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;

import java.util.Optional;
import java.util.Set;

/**
 * Finds the ops that draw random numbers. A case using one cannot be judged by its outputs:
 * ONNX Runtime's generator is not numpy's, and an unseeded draw differs on every run, so a
 * comparison could even pass by chance now and then (Bernoulli over 10 elements matches in
 * about one run in a hundred).
 */
final class RandomOps {
    private static final Set<String> RANDOM = Set.of(
            "Bernoulli", "Multinomial", "RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike");

    private RandomOps() {
    }

    /** A skip reason naming the first random op of {@code model}, subgraphs included; empty when there is none. */
    static Optional<SkipReason> in(Model model) {
        return firstIn(model.graph()).map(op -> SkipReason.of(SkipReason.Category.RANDOM,
                "draws random numbers with " + op));
    }

    private static Optional<String> firstIn(Graph graph) {
        for (Node node : graph.nodes()) {
            String op = CaseRunner.opKey(node);
            if (RANDOM.contains(op)) {
                return Optional.of(op);
            }
            for (Graph subgraph : node.subgraphs()) {
                Optional<String> inner = firstIn(subgraph);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }
}
