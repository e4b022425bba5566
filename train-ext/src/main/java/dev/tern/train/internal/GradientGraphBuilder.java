package dev.tern.train.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Value;
import dev.tern.train.AutodiffException;
import dev.tern.train.GradientModel;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the model behind {@link dev.tern.train.Autodiff#differentiate}: copy, infer types, turn
 * trainable initializers into inputs, expand the composites gradients flow through, find the
 * gradient path, run the backward pass, and add the loss and gradient outputs.
 */
public final class GradientGraphBuilder {
    private static final GradientRules RULES = GradientRules.standard();

    private GradientGraphBuilder() {
    }

    /** See {@link dev.tern.train.Autodiff#differentiate}. */
    public static GradientModel build(Model model, String lossName, List<String> trainableNames) {
        return build(model, lossName, trainableNames, RULES);
    }

    /** {@link #build(Model, String, List)} with {@code rules} instead of the standard ones. */
    static GradientModel build(Model model, String lossName, List<String> trainableNames, GradientRules rules) {
        Model copy = model.copy();
        // Rules read ranks and element types (to sum broadcast gradients, to type constants).
        ShapeInference.infer(copy);
        Graph graph = copy.graph();
        Ops ops = new Ops(new GraphEmitter(graph), defaultOpset(copy));
        Map<String, Value> sources = new LinkedHashMap<>();
        for (String name : trainableNames) {
            sources.put(name, asInput(ops, requireTrainable(graph, name)));
        }
        Set<Value> sourceSet = Collections.newSetFromMap(new IdentityHashMap<>());
        sourceSet.addAll(sources.values());
        Set<Value> dependents = GradientPaths.dependents(graph, sourceSet, rules);
        CompositeExpansion.expand(copy, ops, node -> node.inputs().stream().anyMatch(dependents::contains));
        // Looked up after the expansion, which hands a composite's output names to new values.
        Value loss = requireLoss(graph, lossName);
        GradientPaths paths = GradientPaths.find(graph, loss, sourceSet, rules);
        Map<Value, Value> gradients = BackwardPass.run(ops, paths, rules, loss);
        if (!graph.outputs().contains(loss)) {
            graph.addOutput(loss);
        }
        Map<String, String> gradientOutputs = new LinkedHashMap<>();
        for (Map.Entry<String, Value> source : sources.entrySet()) {
            Value gradient = gradients.get(source.getValue());
            if (gradient == null) {
                throw NoGradientPath.explain(graph, loss, source.getValue(), rules);
            }
            Value output = asOutput(ops, gradient, "grad." + source.getKey());
            GraphEmitter.typeLike(output, source.getValue());
            graph.addOutput(output);
            gradientOutputs.put(source.getKey(), output.name());
        }
        copy.validate();
        return new GradientModel(copy, loss.name(), gradientOutputs);
    }

    private static long defaultOpset(Model model) {
        return Ops.defaultOpset(model).orElseThrow(() -> new AutodiffException("model graph '" + model.graph().name()
                + "' imports no ai.onnx opset; gradients are written in ai.onnx ops, found imports "
                + model.opsetImports()));
    }

    private static Value requireLoss(Graph graph, String lossName) {
        Value loss = graph.findValue(lossName).orElseThrow(() -> new AutodiffException("graph '" + graph.name()
                + "' has no value named '" + lossName + "' to use as the loss"));
        if (ValueTypes.isKnownNonFloating(loss)) {
            throw new AutodiffException("loss '" + lossName + "' must be a floating-point tensor, found " + loss.type());
        }
        return loss;
    }

    private static Value requireTrainable(Graph graph, String name) {
        Value value = graph.initializers().get(name);
        if (value == null) {
            value = graph.inputs().stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
        }
        if (value == null) {
            throw new AutodiffException("graph '" + graph.name() + "' has no initializer or input named '" + name
                    + "' to train; initializers: " + graph.initializers().keySet());
        }
        if (!ValueTypes.isKnownFloating(value)) {
            throw new AutodiffException("trainable '" + name + "' must be a floating-point tensor, found " + value.type());
        }
        return value;
    }

    /** A trainable initializer becomes a graph input of the same name and type, so each step can feed its current value. */
    private static Value asInput(Ops ops, Value trainable) {
        return trainable.isInitializer() ? ops.emitter().promoteToInput(trainable.name()) : trainable;
    }

    /** The gradient under the output name {@code preferred}: renamed when only the backward graph computes it, else through an Identity. */
    private static Value asOutput(Ops ops, Value gradient, String preferred) {
        String name = ops.emitter().fresh(preferred);
        Node producer = gradient.producer();
        if (producer != null && gradient.graphsOutputting().isEmpty()) {
            gradient.rename(name);
            return gradient;
        }
        Value output = ops.op("Identity", gradient);
        output.rename(name);
        return output;
    }
}
