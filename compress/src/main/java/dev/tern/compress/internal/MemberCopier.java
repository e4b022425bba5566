package dev.tern.compress.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.TernException;
import dev.tern.ir.Value;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Copies one model's graph into a merged graph (an ensemble, a student with its teacher) under a
 * name prefix ({@code m0/}, {@code teacher/}, ...): every node, value and weight name gets the
 * prefix, graph inputs are replaced by the shared inputs. Tensors are immutable and shared, not
 * copied. Weights stay initializers, or become Constant nodes when they must never be trained
 * (a teacher's: a trainer picks its weights among the initializers).
 */
public final class MemberCopier {
    /** What the copied model's initializers become in the merged graph. */
    public enum Weights {
        /** Initializers, as in the model. */
        INITIALIZERS,
        /** Constant nodes, which no trainer picks as weights. */
        CONSTANTS
    }

    private final Graph merged;
    private final SharedInputs inputs;
    private final Weights weights;
    private final Function<String, ? extends TernException> failure;

    /**
     * @param failure makes the exception a refusal is reported with, from its message
     */
    public MemberCopier(Graph merged, SharedInputs inputs, Weights weights,
                        Function<String, ? extends TernException> failure) {
        this.merged = merged;
        this.inputs = inputs;
        this.weights = weights;
        this.failure = failure;
    }

    /**
     * Copies {@code graph}, named {@code owner} in errors, and returns the merged graph's values
     * of its outputs, in order.
     *
     * @throws TernException (made by the failure function) naming the owner if the graph has no
     *     output, a sparse initializer, or a node with a subgraph (whose outer-scope names the
     *     prefix would break), or if its inputs disagree with the shared ones
     */
    public List<Value> copy(String owner, String prefix, Graph graph) {
        if (graph.outputs().isEmpty()) {
            throw failure.apply(owner + " (graph '" + graph.name() + "') has no output");
        }
        Map<Value, Value> copies = new IdentityHashMap<>();
        for (Value initializer : graph.initializers().values()) {
            copies.put(initializer, copyWeight(owner, prefix, initializer));
        }
        for (Value input : graph.inputs()) {
            if (!input.isInitializer()) {
                copies.put(input, inputs.feed(owner, prefix, input));
            }
        }
        for (Node node : graph.nodes()) {
            merged.appendNode(copyNode(owner, prefix, node, copies));
        }
        return graph.outputs().stream().map(copies::get).toList();
    }

    private Value copyWeight(String owner, String prefix, Value initializer) {
        if (initializer.initializer() == null) {
            throw failure.apply(owner + " initializer '" + initializer.name()
                    + "': expected a dense tensor, found a sparse one");
        }
        String name = prefix + initializer.name();
        if (weights == Weights.INITIALIZERS) {
            Value copy = Value.constant(name, initializer.initializer().withName(name));
            merged.addInitializer(copy);
            return copy;
        }
        Value copy = new Value(name, initializer.type());
        Node constant = new Node(Node.DEFAULT_DOMAIN, "Constant", List.of(), List.of(copy),
                List.of(Attribute.ofTensor("value", initializer.initializer().withName(name))));
        constant.setName(name + "/constant");
        merged.appendNode(constant);
        return copy;
    }

    private Node copyNode(String owner, String prefix, Node node, Map<Value, Value> copies) {
        if (!node.subgraphs().isEmpty()) {
            throw failure.apply(owner + " node " + node.describe()
                    + ": expected no subgraph (If, Loop, Scan), found " + node.subgraphs().size());
        }
        List<Value> copiedInputs = new ArrayList<>(node.inputs().size());
        for (Value input : node.inputs()) {
            copiedInputs.add(input == null ? null : copies.get(input));
        }
        List<Value> copiedOutputs = new ArrayList<>(node.outputs().size());
        for (Value output : node.outputs()) {
            Value copy = output == null ? null : new Value(prefix + output.name(), output.type());
            copiedOutputs.add(copy);
            if (output != null) {
                copies.put(output, copy);
            }
        }
        Node copy = new Node(node.domain(), node.opType(), copiedInputs, copiedOutputs, node.attributes().values());
        if (!node.name().isEmpty()) {
            copy.setName(prefix + node.name());
        }
        return copy;
    }
}
