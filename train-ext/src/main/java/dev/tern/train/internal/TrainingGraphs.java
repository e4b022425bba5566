package dev.tern.train.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.Autodiff;
import dev.tern.train.GradientModel;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Builds the two graphs a training session runs from a forward model: the training step
 * (forward, loss, backward and update in one graph) and the evaluation graph (forward and loss
 * only). In both, the trainable weights are graph inputs; every other initializer stays one.
 * The caller's model is not changed.
 *
 * @param training the training step's model
 * @param evaluation the forward-and-loss model
 * @param dataInputs the inputs a batch feeds: the model's own inputs and the target
 * @param predictionOutput the model output the loss reads, an output of both graphs
 * @param lossOutput the scalar loss, an output of both graphs
 * @param update the learning-rate, step and state names the update added
 */
public record TrainingGraphs(Model training, Model evaluation, List<String> dataInputs, String predictionOutput,
                             String lossOutput, UpdateSignature update) {

    /** What to build: see {@link dev.tern.train.TrainingSession.Builder}. */
    public record Spec(String predictionOutput, Loss loss, String targetInput, List<String> trainable,
                       Optimizer optimizer, OptionalDouble maxGradientNorm) {
    }

    /**
     * @throws TrainingException if the prediction output, a trainable initializer or the
     *     target name does not fit the model
     * @throws dev.tern.train.AutodiffException if the gradients cannot be built
     */
    public static TrainingGraphs build(Model model, Spec spec) {
        Model withLoss = ModelCopy.of(model);
        // ONNX Runtime evaluates only time-major recurrent nodes.
        TimeMajorRecurrence.rewrite(withLoss.graph());
        ShapeInference.infer(withLoss);
        Graph graph = withLoss.graph();
        Value prediction = requirePrediction(graph, spec.predictionOutput());
        Map<String, Tensor> initial = requireTrainable(graph, spec.trainable());
        Ops ops = new Ops(new GraphEmitter(graph), defaultOpset(withLoss));
        LossGraph.Appended loss = LossGraph.append(ops, prediction, spec.loss(), spec.targetInput());
        loss.loss().rename(ops.emitter().fresh("loss"));
        graph.addOutput(loss.loss());
        ShapeInference.infer(withLoss);

        List<String> dataInputs = new ArrayList<>();
        for (Value input : graph.inputs()) {
            if (!input.isInitializer()) {
                dataInputs.add(input.name());
            }
        }
        Model evaluation = ModelCopy.of(withLoss);
        for (String name : spec.trainable()) {
            WeightInputs.promote(evaluation.graph(), name);
        }
        evaluation.validate();

        GradientModel gradients = Autodiff.differentiate(withLoss, loss.loss().name(), spec.trainable());
        Model training = gradients.model();
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
        return new TrainingGraphs(training, evaluation, List.copyOf(dataInputs), prediction.name(),
                loss.loss().name(), update);
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
