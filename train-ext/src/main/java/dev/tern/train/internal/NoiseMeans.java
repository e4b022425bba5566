package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.Pass;
import dev.tern.train.TrainingException;

import java.util.List;

/**
 * Replaces each random op of a model for inference by the mean of its distribution, so the
 * exported model is deterministic: a VAE decodes the latent mean, noise added for training
 * adds nothing. RandomNormal(Like) becomes its {@code mean}, RandomUniform(Like)
 * {@code (low + high) / 2}, Bernoulli its probabilities, Dropout its input (the identity, as
 * in inference mode). The outer graph's nodes only; in place. A model with random ops gets
 * its shapes inferred first, since a mean shaped like its op's input needs the input's
 * element type; it ensures no random op is left and a valid model.
 */
final class NoiseMeans extends Pass {
    @Override
    public String name() {
        return "noise-means";
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    /**
     * @throws TrainingException for a random op this cannot replace (Multinomial, a sample
     *     count with no mean of the same type, or a non-float element type)
     */
    @Override
    protected boolean run(Model model) {
        List<Node> random = randomNodes(model.graph());
        if (random.isEmpty()) {
            return false;
        }
        ShapeInference.infer(model);
        GraphEmitter emitter = new GraphEmitter(model.graph());
        for (Node node : random) {
            replaceByMean(emitter, node);
        }
        return true;
    }

    @Override
    protected void ensures(Model model) {
        List<Node> left = randomNodes(model.graph());
        if (!left.isEmpty()) {
            throw new IllegalStateException("random node " + left.get(0).describe() + " is still there");
        }
        model.validate();
    }

    private static List<Node> randomNodes(Graph graph) {
        return graph.nodes().stream().filter(RandomOps::isRandom).toList();
    }

    private static void replaceByMean(GraphEmitter emitter, Node node) {
        GraphEditor editor = emitter.editor();
        editor.insertBefore(node);
        Value mean = switch (node.opType()) {
            case "RandomNormalLike" -> like(emitter, node, floatAttribute(node, "mean", 0));
            case "RandomUniformLike" -> like(emitter, node, uniformMean(node));
            case "RandomNormal" -> constant(emitter, node, floatAttribute(node, "mean", 0));
            case "RandomUniform" -> constant(emitter, node, uniformMean(node));
            case "Bernoulli" -> node.attribute("dtype").isPresent()
                    ? emitter.op("Cast", List.of(Attribute.ofInt("to", dtype(node, null).onnxCode())), node.input(0))
                    : node.input(0);
            case "Dropout" -> dropoutInput(node);
            default -> throw new TrainingException("cannot export " + node.describe()
                    + " for inference: it has no mean of its own type to stand for it");
        };
        editor.replaceAllUsesWith(node.output(0), mean);
        editor.removeNode(node);
    }

    /** Dropout's data input; a mask that something reads has no inference-mode stand-in here, so it is refused. */
    private static Value dropoutInput(Node node) {
        if (node.outputs().size() > 1 && (!node.output(1).uses().isEmpty() || node.graph().outputs().contains(node.output(1)))) {
            throw new TrainingException("cannot export " + node.describe() + " for inference: its mask output '"
                    + node.output(1).name() + "' is read; only Dropout's first output can become the identity");
        }
        return node.input(0);
    }

    /** A tensor shaped like the node's input, every element {@code value}. */
    private static Value like(GraphEmitter emitter, Node node, double value) {
        Value input = node.input(0);
        ElementType type = dtype(node, ValueTypes.elementType(input));
        Tensor filler = switch (type) {
            case FLOAT -> Tensor.ofFloats("", new long[] {1}, (float) value);
            case DOUBLE -> Tensor.ofDoubles("", new long[] {1}, value);
            default -> throw unsupported(node, type);
        };
        return emitter.op("ConstantOfShape", List.of(Attribute.ofTensor("value", filler)), emitter.op("Shape", input));
    }

    /** A constant of the node's {@code shape} attribute, every element {@code value}. */
    private static Value constant(GraphEmitter emitter, Node node, double value) {
        ElementType type = dtype(node, ElementType.FLOAT);
        if (type != ElementType.FLOAT && type != ElementType.DOUBLE) {
            throw unsupported(node, type);
        }
        long[] shape = node.attribute("shape").orElseThrow(() -> new TrainingException(node.describe()
                + " has no shape attribute")).asInts();
        return emitter.filled(value, type, shape);
    }

    private static double uniformMean(Node node) {
        return (floatAttribute(node, "low", 0) + floatAttribute(node, "high", 1)) / 2;
    }

    private static double floatAttribute(Node node, String name, double fallback) {
        return node.attribute(name).map(Attribute::asFloat).map(Float::doubleValue).orElse(fallback);
    }

    private static ElementType dtype(Node node, ElementType fallback) {
        return node.attribute("dtype").map(attribute -> ElementType.fromOnnxCode((int) attribute.asInt())).orElse(fallback);
    }

    private static TrainingException unsupported(Node node, ElementType type) {
        return new TrainingException("cannot export " + node.describe() + " for inference: its mean is written for "
                + "float and double, found " + type);
    }
}
