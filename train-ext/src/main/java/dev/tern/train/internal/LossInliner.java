package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import dev.tern.train.TrainingException;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a caller's loss graph into the training graph: its two inputs become the prediction
 * and the target, its initializers and node outputs get fresh names (so nothing clashes with
 * the model's), and its output becomes the loss. The caller's graph is not changed.
 */
final class LossInliner {
    private final GraphEmitter emitter;
    private final Map<Value, Value> copies = new IdentityHashMap<>();

    private LossInliner(GraphEmitter emitter) {
        this.emitter = emitter;
    }

    static Value inline(GraphEmitter emitter, Graph loss, Value prediction, Value target) {
        LossInliner inliner = new LossInliner(emitter);
        inliner.copies.put(loss.inputs().get(0), prediction);
        inliner.copies.put(loss.inputs().get(1), target);
        for (Value initializer : loss.initializers().values()) {
            if (initializer.initializer() == null) {
                throw new TrainingException("loss graph '" + loss.name() + "': sparse initializer '"
                        + initializer.name() + "' is not supported");
            }
            Value copy = emitter.editor().addInitializer("loss." + initializer.name(), initializer.initializer());
            inliner.copies.put(initializer, copy);
        }
        for (Node node : loss.nodes()) {
            inliner.copy(loss, node);
        }
        Value output = inliner.copies.get(loss.outputs().get(0));
        if (output == null) {
            throw new TrainingException("loss graph '" + loss.name() + "': output '" + loss.outputs().get(0).name()
                    + "' is an input; it must be computed by the graph's nodes");
        }
        return output;
    }

    private void copy(Graph loss, Node node) {
        if (!node.subgraphs().isEmpty() || !(node.domain().isEmpty() || node.domain().equals("ai.onnx"))) {
            throw new TrainingException("loss graph '" + loss.name() + "': node " + node.describe()
                    + " is not supported; a loss graph holds ai.onnx nodes without subgraphs");
        }
        List<Value> inputs = new ArrayList<>();
        for (Value input : node.inputs()) {
            inputs.add(input == null ? null : mapped(loss, node, input));
        }
        List<Value> outputs = new ArrayList<>();
        for (Value output : node.outputs()) {
            Value copy = null;
            if (output != null) {
                copy = new Value(emitter.fresh("loss." + output.name()), output.type());
                copies.put(output, copy);
            }
            outputs.add(copy);
        }
        Node copy = new Node(node.domain(), node.opType(), inputs, outputs,
                new ArrayList<Attribute>(node.attributes().values()));
        copy.setName(emitter.fresh("loss." + node.name()));
        emitter.add(copy);
    }

    private Value mapped(Graph loss, Node node, Value input) {
        Value copy = copies.get(input);
        if (copy == null) {
            throw new TrainingException("loss graph '" + loss.name() + "': node " + node.describe() + " reads '"
                    + input.name() + "', which is not an input, initializer or earlier node output of the loss graph");
        }
        return copy;
    }
}
