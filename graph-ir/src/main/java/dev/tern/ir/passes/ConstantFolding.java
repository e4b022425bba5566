package dev.tern.ir.passes;

import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.internal.Domains;
import dev.tern.ir.internal.folding.FoldingKernel;
import dev.tern.ir.internal.folding.FoldingKernels;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replaces main-graph nodes whose inputs are all constants by initializers holding their
 * results, computed in pure Java, in node order, so a chain of such nodes folds in one run. A
 * constant is an initializer no graph input can override (from IR version 4 on, an initializer
 * that is also a graph input is a default the caller may replace) or a value folded before. An
 * output keeps its name; readers, graph outputs included, read the initializer (which, before
 * IR version 4, is also listed among the graph inputs, as those versions require). Inputs the
 * folded nodes leave unread stay; {@link DeadNodeElimination} removes them.
 *
 * <p>Folded operators (default domain): {@link #FOLDED_OPS}. Arithmetic works on FLOAT, DOUBLE,
 * INT32 and INT64; Reshape, Flatten, Squeeze, Unsqueeze and Identity on any type; Transpose and
 * Concat on types of whole bytes. A node is left as it is when its inputs are of other types,
 * an integer division would divide by zero, or an elementwise result would exceed 4M elements.
 * Nodes holding subgraphs and subgraphs themselves are not folded. In place.
 */
public final class ConstantFolding extends Pass {
    /** The op types this pass evaluates. */
    public static final Set<String> FOLDED_OPS = Collections.unmodifiableSet(new TreeSet<>(FoldingKernels.opTypes()));

    /** The first IR version in which a graph input may override an initializer of the same name. */
    private static final long FIRST_IR_WITH_OVERRIDABLE_INITIALIZERS = 4;

    @Override
    public String name() {
        return "constant-folding";
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    protected boolean run(Model model) {
        Graph graph = model.graph();
        Set<Value> overridable = Collections.newSetFromMap(new IdentityHashMap<>());
        if (model.irVersion() >= FIRST_IR_WITH_OVERRIDABLE_INITIALIZERS) {
            overridable.addAll(graph.inputs());
        }
        // Before IR version 4 every initializer must also be listed among the graph inputs.
        boolean listAsInputs = model.irVersion() < FIRST_IR_WITH_OVERRIDABLE_INITIALIZERS;
        GraphEditor editor = GraphEditor.of(graph);
        boolean changed = false;
        for (Node node : graph.nodes()) {
            Optional<List<Tensor>> results = evaluate(node, overridable);
            if (results.isPresent()) {
                replaceByConstants(editor, node, results.get(), listAsInputs);
                changed = true;
            }
        }
        return changed;
    }

    private static Optional<List<Tensor>> evaluate(Node node, Set<Value> overridable) {
        if (!Domains.normalize(node.domain()).isEmpty() || !node.subgraphs().isEmpty()) {
            return Optional.empty();
        }
        Optional<FoldingKernel> kernel = FoldingKernels.forOp(node.opType());
        if (kernel.isEmpty()) {
            return Optional.empty();
        }
        List<Tensor> constants = new ArrayList<>();
        for (Value input : node.inputs()) {
            if (input == null) {
                constants.add(null);
            } else if (input.initializer() != null && !overridable.contains(input)) {
                constants.add(input.initializer());
            } else {
                return Optional.empty();
            }
        }
        return kernel.get().evaluate(node, constants)
                .filter(results -> results.size() == node.outputs().size());
    }

    private static void replaceByConstants(GraphEditor editor, Node node, List<Tensor> results, boolean listAsInputs) {
        Graph graph = editor.graph();
        for (int i = 0; i < results.size(); i++) {
            Value output = node.output(i);
            if (output == null) {
                continue;
            }
            Value constant = Value.constant(output.name(), results.get(i).withName(output.name()));
            graph.addInitializer(constant);
            if (listAsInputs) {
                graph.addInput(constant);
            }
            editor.replaceAllUsesWith(output, constant);
        }
        editor.removeNode(node);
    }
}
