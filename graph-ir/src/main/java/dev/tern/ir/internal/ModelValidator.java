package dev.tern.ir.internal;

import dev.tern.ir.Function;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.ValidationException;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code Model.validate()} and {@code Graph.validate()}: scope and SSA rules
 * first (which also find cycles), then opset imports, then the def-use invariant.
 */
public final class ModelValidator {
    private ModelValidator() {
    }

    /**
     * Validates the main graph and every function body.
     *
     * @throws ValidationException describing the first problem
     */
    public static void validate(Model model) {
        List<Graph> roots = rootsOf(model);
        checkFunctionIds(model);
        ScopeWalker.DomainCheck modelDomains = new ScopeWalker.DomainCheck(
                Domains.normalizeAll(model.opsetImports().keySet()), "the model");
        new ScopeWalker(roots, modelDomains).walk(Scope.root(model.graph(), "graph '" + model.graph().name() + "'"));
        for (Function function : model.functions()) {
            String label = "function '" + functionId(function) + "'";
            ScopeWalker.DomainCheck functionDomains = new ScopeWalker.DomainCheck(
                    Domains.normalizeAll(function.opsetImports().keySet()), label);
            new ScopeWalker(roots, functionDomains).walk(Scope.root(function.body(), label));
        }
        DefUseVerifier.verify(model);
    }

    /**
     * Validates {@code graph} and its subgraphs without opset checks. For a subgraph, values
     * its enclosing graphs define before its parent node are in scope.
     *
     * @throws ValidationException describing the first problem
     */
    public static void validate(Graph graph) {
        Graph outermost = outermost(graph);
        Scope scope = enclosingScope(graph);
        new ScopeWalker(List.of(outermost), null).walk(scope);
        DefUseVerifier.verify(graph);
    }

    /** The main graph followed by every function body. */
    static List<Graph> rootsOf(Model model) {
        List<Graph> roots = new ArrayList<>();
        roots.add(model.graph());
        for (Function function : model.functions()) {
            roots.add(function.body());
        }
        return roots;
    }

    static Graph outermost(Graph graph) {
        Graph outer = graph;
        while (outer.outerGraph() != null) {
            outer = outer.outerGraph();
        }
        return outer;
    }

    /**
     * The scope {@code graph} starts with: empty at top level; for a subgraph, what each
     * enclosing graph defines before the node that leads towards {@code graph}.
     */
    private static Scope enclosingScope(Graph graph) {
        if (graph.parentNode() == null) {
            return Scope.root(graph, "graph '" + graph.name() + "'");
        }
        Node holder = graph.parentNode();
        Graph outer = holder.graph();
        if (outer == null) {
            throw new ValidationException("graph '" + graph.name() + "' belongs to node " + holder.describe()
                    + ", which is in no graph");
        }
        Scope outerScope = enclosingScope(outer);
        outer.inputs().forEach(value -> outerScope.admit(value, "input"));
        outer.initializers().values().forEach(value -> outerScope.admit(value, "initializer"));
        for (Node node : outer.nodes()) {
            if (node == holder) {
                break;
            }
            for (Value output : node.outputs()) {
                if (output != null) {
                    outerScope.admit(output, "output of node " + node.describe());
                }
            }
        }
        return outerScope.child(graph);
    }

    private static void checkFunctionIds(Model model) {
        Map<String, Function> byId = new HashMap<>();
        for (Function function : model.functions()) {
            Function earlier = byId.putIfAbsent(functionId(function), function);
            if (earlier != null) {
                throw new ValidationException("model defines function '" + functionId(function) + "' twice");
            }
        }
    }

    private static String functionId(Function function) {
        String id = Domains.normalize(function.domain()) + "::" + function.name();
        return function.overload().isEmpty() ? id : id + ":" + function.overload();
    }
}
