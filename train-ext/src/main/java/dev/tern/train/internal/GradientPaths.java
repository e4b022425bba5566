package dev.tern.train.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import dev.tern.train.AutodiffException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The part of a graph gradients flow through: values that depend on a trainable value
 * through differentiable inputs and floating-point outputs, and that the loss depends on in
 * turn. Everything else (shape computations, indices, masks, branches that never reach the
 * loss) is left out, so those ops need no gradient rule.
 */
final class GradientPaths {
    private final Set<Value> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Node> nodesInReverse = new ArrayList<>();

    private GradientPaths() {
    }

    /**
     * @throws AutodiffException if a node on the path has no gradient rule
     */
    static GradientPaths find(Graph graph, Value loss, Set<Value> sources, GradientRules rules) {
        GradientPaths paths = new GradientPaths();
        Set<Value> dependsOnSource = dependents(graph, sources, rules);
        Set<Value> needed = Collections.newSetFromMap(new IdentityHashMap<>());
        needed.add(loss);
        List<Node> nodes = graph.nodes();
        for (int n = nodes.size() - 1; n >= 0; n--) {
            Node node = nodes.get(n);
            boolean feedsLoss = node.outputs().stream().anyMatch(v -> v != null && needed.contains(v) && dependsOnSource.contains(v));
            if (!feedsLoss) {
                continue;
            }
            Optional<GradientRule> rule = rules.find(node);
            if (rule.isEmpty()) {
                throw missingRule(node);
            }
            paths.nodesInReverse.add(node);
            for (int i = 0; i < node.inputs().size(); i++) {
                Value input = node.input(i);
                if (input != null && dependsOnSource.contains(input) && rule.get().isDifferentiableInput(i)) {
                    needed.add(input);
                }
            }
        }
        for (Value value : needed) {
            if (dependsOnSource.contains(value)) {
                paths.onPath.add(value);
            }
        }
        return paths;
    }

    private static AutodiffException missingRule(Node node) {
        String message = "no gradient rule for " + node.opType() + " ("
                + (GradientRules.isDefaultDomain(node.domain()) ? "ai.onnx" : node.domain())
                + ") at node " + (node.name().isEmpty() ? "<unnamed>" : node.name());
        if (GradientRules.isControlFlow(node)) {
            message += ": control flow (If, Loop, Scan) cannot have one, since its subgraphs pick a branch or a"
                    + " number of iterations at run time; freeze the weights that reach it or compute them outside"
                    + " its subgraphs";
        }
        return new AutodiffException(message);
    }

    /** The nodes gradients flow through, last first. */
    List<Node> nodesInReverse() {
        return nodesInReverse;
    }

    /** Whether a gradient flows into {@code value}. */
    boolean isOnPath(Value value) {
        return value != null && onPath.contains(value);
    }

    /** Values that depend on a source through inputs and outputs that can carry a gradient. */
    static Set<Value> dependents(Graph graph, Set<Value> sources, GradientRules rules) {
        Set<Value> dependents = Collections.newSetFromMap(new IdentityHashMap<>());
        dependents.addAll(sources);
        for (Node node : graph.nodes()) {
            if (GradientRules.stopsGradient(node)) {
                continue;
            }
            Optional<GradientRule> rule = rules.find(node);
            if (!readsDependent(node, rule, dependents)) {
                continue;
            }
            for (int i = 0; i < node.outputs().size(); i++) {
                int index = i;
                Value output = node.output(index);
                if (output == null) {
                    continue;
                }
                boolean differentiable = rule.map(r -> r.isDifferentiableOutput(index)).orElse(true);
                boolean realValued = !ValueTypes.isKnownNonFloating(output)
                        || rule.map(GradientRule::integerOutputsCarryGradients).orElse(false);
                if (differentiable && realValued) {
                    dependents.add(output);
                }
            }
        }
        return dependents;
    }

    /**
     * Whether {@code node} reads a dependent value through an input that can carry a gradient.
     * A node without a rule counts every input, and the outer values its subgraphs read too,
     * so control flow on the path is reported as lacking a rule rather than silently skipped.
     */
    private static boolean readsDependent(Node node, Optional<GradientRule> rule, Set<Value> dependents) {
        for (int i = 0; i < node.inputs().size(); i++) {
            int index = i;
            Value input = node.input(index);
            if (input != null && dependents.contains(input) && rule.map(r -> r.isDifferentiableInput(index)).orElse(true)) {
                return true;
            }
        }
        if (rule.isPresent()) {
            return false;
        }
        for (Graph subgraph : node.subgraphs()) {
            for (Node inner : subgraph.allNodes()) {
                if (inner.inputs().stream().anyMatch(dependents::contains)) {
                    return true;
                }
            }
        }
        return false;
    }
}
