package dev.tern.train.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Model;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.Autodiff;
import dev.tern.train.GradientModel;
import dev.tern.train.LossTerm;
import dev.tern.train.LossTerms;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Builds the two graphs a training session runs from a forward model: the training step
 * (forward, loss, backward and update in one graph) and the evaluation graph (forward and loss
 * only), and for a split step also the step's two halves ({@link SplitGraphs}). In all, the
 * trainable weights are graph inputs; every other initializer stays one. The caller's model is
 * not changed.
 *
 * @param training the training step's model
 * @param evaluation the forward-and-loss model
 * @param dataInputs the inputs a batch feeds: the model's own inputs and the target columns
 * @param targetColumns the inputs the loss added for its targets, in the order of the terms
 * @param lossOutput the scalar total loss, an output of both graphs
 * @param termOutputs each loss term's name and the output of both graphs carrying its value
 *     (before its weight), in term order; a sole term of weight 1 is the total itself
 * @param update the learning-rate, step and state names the update added
 * @param split the step cut in two at the gradients, when the spec asked for it
 */
public record TrainingGraphs(Model training, Model evaluation, List<String> dataInputs, List<String> targetColumns,
                             String lossOutput, Map<String, String> termOutputs, UpdateSignature update,
                             Optional<SplitGraphs> split) {

    /**
     * What to build: see {@link dev.tern.train.TrainingSession.Builder}.
     *
     * @param sharedWeights initializers another parameter group trains: inputs of both graphs
     *     that this step reads but neither differentiates nor updates, and that no batch feeds
     * @param splitStep whether to build the step's two halves too ({@link TrainingGraphs#split})
     */
    public record Spec(LossTerms loss, List<String> trainable, Optimizer optimizer, OptionalDouble maxGradientNorm,
                       OptionalLong seed, List<String> sharedWeights, boolean splitStep) {
        public Spec {
            sharedWeights = List.copyOf(sharedWeights);
        }

        /** A spec for a parameter group's fused step. */
        public Spec(LossTerms loss, List<String> trainable, Optimizer optimizer, OptionalDouble maxGradientNorm,
                    OptionalLong seed, List<String> sharedWeights) {
            this(loss, trainable, optimizer, maxGradientNorm, seed, sharedWeights, false);
        }

        /** A spec for a session whose trainable weights are the only ones that change, with a fused step. */
        public Spec(LossTerms loss, List<String> trainable, Optimizer optimizer, OptionalDouble maxGradientNorm,
                    OptionalLong seed) {
            this(loss, trainable, optimizer, maxGradientNorm, seed, List.of(), false);
        }
    }

    /**
     * Checks that {@code batch} feeds exactly {@link #dataInputs()}; {@code owner} names the
     * session or group in the error.
     *
     * @throws TrainingException naming the inputs expected and found
     */
    public void requireBatch(Map<String, Tensor> batch, String owner) {
        if (!batch.keySet().equals(Set.copyOf(dataInputs))) {
            throw new TrainingException(owner + ": a batch feeds " + dataInputs + ", found " + batch.keySet());
        }
    }

    /**
     * @throws TrainingException if the prediction output, a trainable initializer or the
     *     target name does not fit the model
     * @throws dev.tern.train.AutodiffException if the gradients cannot be built
     */
    public static TrainingGraphs build(Model model, Spec spec) {
        Model withLoss = model.copy();
        spec.seed().ifPresent(seed -> new RandomSeeding(seed).apply(withLoss));
        // ONNX Runtime evaluates only time-major recurrent nodes.
        new TimeMajorRecurrence().apply(withLoss);
        ShapeInference.infer(withLoss);
        Graph graph = withLoss.graph();
        Map<String, Tensor> initial = requireTrainable(graph, spec.trainable());
        requireShared(graph, spec);
        GraphEditor sharing = GraphEditor.of(graph);
        spec.sharedWeights().forEach(sharing::promoteInitializerToInput);
        List<String> modelInputs = dataInputNames(graph, spec.sharedWeights());
        Ops ops = new Ops(new GraphEmitter(graph), defaultOpset(withLoss));
        Map<String, Value> terms = new LinkedHashMap<>();
        Map<String, ElementType> termTypes = new LinkedHashMap<>();
        for (LossTerm term : spec.loss().terms()) {
            Value prediction = requirePrediction(graph, term.output());
            terms.put(term.name(), LossGraph.append(ops, prediction, term.function(), term.target()));
            termTypes.put(term.name(), ValueTypes.elementType(prediction));
        }
        Value loss = total(ops, spec.loss(), terms, termTypes);
        ShapeInference.infer(withLoss);

        List<String> dataInputs = dataInputNames(graph, spec.sharedWeights());
        List<String> targetColumns = dataInputs.stream().filter(name -> !modelInputs.contains(name)).toList();
        Model evaluation = withLoss.copy();
        GraphEditor evaluationEditor = GraphEditor.of(evaluation.graph());
        for (String name : spec.trainable()) {
            evaluationEditor.promoteInitializerToInput(name);
        }
        evaluation.validate();

        GradientModel gradients = Autodiff.differentiate(withLoss, loss.name(), spec.trainable());
        Model training = gradients.model();
        // The fused step is built in place from the gradient model, so the first half is a copy taken before.
        Model gradientHalf = spec.splitStep() ? training.copy() : null;
        Graph step = training.graph();
        Map<Value, Value> weights = new LinkedHashMap<>();
        Map<Value, Tensor> initialByInput = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : gradients.gradientOutputs().entrySet()) {
            Value weight = input(step, entry.getKey());
            weights.put(weight, removeOutput(step, entry.getValue()));
            initialByInput.put(weight, initial.get(entry.getKey()));
        }
        Ops stepOps = new Ops(new GraphEmitter(step), defaultOpset(training));
        UpdateSignature update = OptimizerGraph.append(stepOps, weights, initialByInput, spec.optimizer(),
                spec.maxGradientNorm());
        training.validate();
        Optional<SplitGraphs> split = gradientHalf == null
                ? Optional.empty()
                : Optional.of(SplitGraphs.cut(gradientHalf, gradients.gradientOutputs(), training, update));
        Map<String, String> termOutputs = new LinkedHashMap<>();
        terms.forEach((name, value) -> termOutputs.put(name, value.name()));
        return new TrainingGraphs(training, evaluation, dataInputs, targetColumns, loss.name(),
                Collections.unmodifiableMap(termOutputs), update, split);
    }

    /**
     * The weighted sum of the terms as a new graph output named {@code loss}, each term an
     * output of its own; a sole term of weight 1 is the total, adding no ops to the step.
     */
    private static Value total(Ops ops, LossTerms loss, Map<String, Value> terms, Map<String, ElementType> types) {
        Graph graph = ops.emitter().graph();
        List<LossTerm> list = loss.terms();
        if (list.size() == 1 && list.get(0).weight() == 1) {
            Value only = terms.get(list.get(0).name());
            only.rename(ops.emitter().fresh("loss"));
            graph.addOutput(only);
            return only;
        }
        Value sum = null;
        for (LossTerm term : list) {
            Value value = terms.get(term.name());
            Value weighted = term.weight() == 1
                    ? value
                    : ops.mul(ops.emitter().scalar(term.weight(), types.get(term.name())), value);
            sum = sum == null ? weighted : ops.add(sum, weighted);
            value.rename(ops.emitter().fresh("loss." + term.name()));
            graph.addOutput(value);
        }
        sum.rename(ops.emitter().fresh("loss"));
        graph.addOutput(sum);
        return sum;
    }

    /** The graph inputs a batch feeds: those that are neither initializers nor {@code shared} weights. */
    private static List<String> dataInputNames(Graph graph, List<String> shared) {
        List<String> names = new ArrayList<>();
        for (Value input : graph.inputs()) {
            if (!input.isInitializer() && !shared.contains(input.name())) {
                names.add(input.name());
            }
        }
        return List.copyOf(names);
    }

    private static Value requirePrediction(Graph graph, String name) {
        for (Value output : graph.outputs()) {
            if (output.name().equals(name)) {
                if (!(output.type() instanceof ValueType.TensorType tensor) || !ValueTypes.isFloating(tensor.elementType())) {
                    throw new TrainingException("graph '" + graph.name() + "': prediction '" + name
                            + "' must be a floating-point tensor of known type, found " + output.type());
                }
                return output;
            }
        }
        throw new TrainingException("graph '" + graph.name() + "' has no output named '" + name
                + "' to use as the prediction; outputs: " + graph.outputs().stream().map(Value::name).toList());
    }

    /** The initial value of each trainable weight, checked to be a floating-point initializer of one shared type. */
    private static Map<String, Tensor> requireTrainable(Graph graph, List<String> names) {
        if (names.isEmpty()) {
            throw new TrainingException("graph '" + graph.name() + "': no trainable weights given");
        }
        Map<String, Tensor> initial = new LinkedHashMap<>();
        ElementType shared = null;
        for (String name : names) {
            Value value = graph.initializers().get(name);
            if (value == null || value.initializer() == null) {
                throw new TrainingException("graph '" + graph.name() + "' has no dense initializer named '" + name
                        + "' to train; initializers: " + graph.initializers().keySet());
            }
            Tensor tensor = value.initializer();
            if (!ValueTypes.isFloating(tensor.elementType()) || shared != null && shared != tensor.elementType()) {
                throw new TrainingException("graph '" + graph.name() + "': trainable '" + name + "' is "
                        + tensor.elementType() + "; trainable weights must share one floating-point type"
                        + (shared == null ? "" : ", here " + shared));
            }
            shared = tensor.elementType();
            initial.put(name, tensor);
        }
        return initial;
    }

    /** Checks that the shared weights are initializers this step does not also train. */
    private static void requireShared(Graph graph, Spec spec) {
        for (String name : spec.sharedWeights()) {
            if (spec.trainable().contains(name)) {
                throw new TrainingException("graph '" + graph.name() + "': weight '" + name
                        + "' is both trained by this step and shared from another parameter group");
            }
            Value value = graph.initializers().get(name);
            if (value == null || value.initializer() == null) {
                throw new TrainingException("graph '" + graph.name() + "' has no dense initializer named '" + name
                        + "' to share; initializers: " + graph.initializers().keySet());
            }
        }
    }

    private static Value input(Graph graph, String name) {
        return graph.inputs().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    /** Removes graph output {@code name} and returns its value, which stays computed for the update. */
    private static Value removeOutput(Graph graph, String name) {
        List<Value> outputs = graph.outputs();
        for (int index = 0; index < outputs.size(); index++) {
            if (outputs.get(index).name().equals(name)) {
                Value value = outputs.get(index);
                graph.removeOutput(index);
                return value;
            }
        }
        throw new IllegalStateException("Autodiff named gradient output '" + name + "' but the graph has none");
    }

    private static long defaultOpset(Model model) {
        return Ops.defaultOpset(model).orElseThrow(() -> new TrainingException("model graph '" + model.graph().name()
                + "' imports no ai.onnx opset; losses and updates are written in ai.onnx ops, found imports "
                + model.opsetImports()));
    }
}
