package dev.tern.train.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import dev.tern.train.AutodiffException;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Explains why a trainable value got no gradient, as an error: a weight whose gradient is
 * silently zero never moves, and the cause (a quantize step, an integer cast, an index) is
 * hard to find afterwards. Either the loss does not read the value at all, or every route
 * from it to the loss crosses a node that passes no gradient; the first such node in graph
 * order is named.
 */
final class NoGradientPath {
    private NoGradientPath() {
    }

    static AutodiffException explain(Graph graph, Value loss, Value trainable, GradientRules rules) {
        Set<Value> feedsLoss = ancestors(graph, loss);
        String subject = "trainable '" + trainable.name() + "' has no gradient path to loss '" + loss.name() + "'";
        if (!feedsLoss.contains(trainable)) {
            return new AutodiffException(subject + ": the loss does not read it; leave it out of the trainable values");
        }
        Set<Value> carriesGradient = GradientPaths.dependents(graph, Set.of(trainable), rules);
        for (Node node : graph.nodes()) {
            Optional<String> reason = breakAt(node, feedsLoss, carriesGradient, rules);
            if (reason.isPresent()) {
                return new AutodiffException(subject + ": it reaches the loss only through node " + node.describe()
                        + ", " + reason.get() + "; freeze it or give the path a differentiable form");
            }
        }
        return new AutodiffException(subject + ": no node between them passed a gradient back");
    }

    /**
     * Why {@code node} stops the gradient: it reads a value carrying one and feeds the loss,
     * yet none of its outputs the loss reads carries a gradient on.
     */
    private static Optional<String> breakAt(Node node, Set<Value> feedsLoss, Set<Value> carriesGradient,
                                            GradientRules rules) {
        List<Value> neededOutputs = node.outputs().stream().filter(feedsLoss::contains).toList();
        if (neededOutputs.isEmpty() || neededOutputs.stream().anyMatch(carriesGradient::contains)) {
            return Optional.empty();
        }
        int readIndex = -1;
        for (int i = 0; i < node.inputs().size(); i++) {
            if (node.input(i) != null && carriesGradient.contains(node.input(i))) {
                readIndex = i;
                break;
            }
        }
        if (readIndex < 0) {
            return Optional.empty();
        }
        if (GradientRules.stopsGradient(node)) {
            return Optional.of("whose outputs are integer, boolean or piecewise constant and pass no gradient");
        }
        Optional<GradientRule> rule = rules.find(node);
        if (rule.isPresent() && !rule.get().isDifferentiableInput(readIndex)) {
            return Optional.of("which reads it as input " + readIndex + " ('" + node.input(readIndex).name()
                    + "'), an input that takes no gradient");
        }
        Value output = neededOutputs.get(0);
        return Optional.of("whose output '" + output.name() + "' is of type " + output.type()
                + ", which carries no gradient");
    }

    /** The values {@code loss} is computed from, through any input, including outer values read by subgraphs. */
    private static Set<Value> ancestors(Graph graph, Value loss) {
        Set<Value> ancestors = Collections.newSetFromMap(new IdentityHashMap<>());
        ancestors.add(loss);
        List<Node> nodes = graph.nodes();
        for (int n = nodes.size() - 1; n >= 0; n--) {
            Node node = nodes.get(n);
            if (node.outputs().stream().noneMatch(ancestors::contains)) {
                continue;
            }
            node.inputs().stream().filter(input -> input != null).forEach(ancestors::add);
            for (Graph subgraph : node.subgraphs()) {
                subgraph.allNodes().forEach(inner -> inner.inputs().stream()
                        .filter(input -> input != null).forEach(ancestors::add));
            }
        }
        return ancestors;
    }
}
