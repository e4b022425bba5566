package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import dev.tern.ir.passes.Pass;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites batch-first recurrent nodes (RNN, GRU, LSTM with {@code layout = 1}) into the
 * time-major form between Transposes, in place. ONNX Runtime's CPU kernels refuse layout 1
 * ("Batchwise recurrent operations (layout == 1) are not supported"), so a model trained
 * with one would neither evaluate nor run after export; the rewritten graph computes the
 * same values with the kernels ONNX Runtime has. X and the initial states are transposed
 * in, Y and the last states out. The outer graph's nodes only; it ensures none of them is
 * left batch-first.
 */
public final class TimeMajorRecurrence extends Pass {
    private static final Set<String> RECURRENT_OPS = Set.of("RNN", "GRU", "LSTM");
    private static final long[] SWAP_FIRST_TWO = {1, 0, 2};
    /** Y [seq, directions, batch, hidden] to [batch, seq, directions, hidden]. */
    private static final long[] BATCH_FIRST_SEQUENCE = {2, 0, 1, 3};
    private static final int INITIAL_H = 5;
    private static final int INITIAL_C = 6;

    @Override
    public String name() {
        return "time-major-recurrence";
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    protected boolean run(Model model) {
        List<Node> batchFirst = batchFirst(model.graph());
        if (batchFirst.isEmpty()) {
            return false;
        }
        GraphEmitter emitter = new GraphEmitter(model.graph());
        for (Node node : batchFirst) {
            rewrite(emitter, node);
        }
        return true;
    }

    @Override
    protected void ensures(Model model) {
        List<Node> left = batchFirst(model.graph());
        if (!left.isEmpty()) {
            throw new IllegalStateException("node " + left.get(0).describe() + " is still batch-first (layout 1)");
        }
    }

    private static List<Node> batchFirst(Graph graph) {
        return graph.nodes().stream()
                .filter(node -> GradientRules.isDefaultDomain(node.domain()) && RECURRENT_OPS.contains(node.opType()))
                .filter(node -> node.attribute("layout").map(Attribute::asInt).orElse(0L) == 1)
                .toList();
    }

    private static void rewrite(GraphEmitter emitter, Node node) {
        emitter.insertBefore(node);
        List<Value> inputs = new ArrayList<>(node.inputs());
        inputs.set(0, transpose(emitter, inputs.get(0), SWAP_FIRST_TWO));
        for (int index : new int[] {INITIAL_H, INITIAL_C}) {
            if (index < inputs.size() && inputs.get(index) != null) {
                inputs.set(index, transpose(emitter, inputs.get(index), SWAP_FIRST_TWO));
            }
        }
        List<Attribute> attributes = new ArrayList<>(node.attributes().values().stream()
                .filter(attribute -> !attribute.name().equals("layout")).toList());
        String name = emitter.fresh(node.name().isEmpty() ? node.opType() : node.name() + "_time_major");
        List<Value> outputs = new ArrayList<>();
        for (Value output : node.outputs()) {
            outputs.add(output == null ? null : new Value(emitter.fresh(output.name() + "_time_major")));
        }
        Node timeMajor = new Node(node.domain(), node.opType(), inputs, outputs, attributes);
        timeMajor.setName(name);
        emitter.add(timeMajor);
        List<Value> replacements = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            boolean read = outputs.get(i) != null && node.output(i).isUsed();
            replacements.add(read ? transpose(emitter, outputs.get(i), i == 0 ? BATCH_FIRST_SEQUENCE : SWAP_FIRST_TWO) : null);
        }
        emitter.replace(node, replacements);
    }

    private static Value transpose(GraphEmitter emitter, Value value, long[] perm) {
        return emitter.op("Transpose", List.of(Attribute.ofInts("perm", perm)), value);
    }
}
