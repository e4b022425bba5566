package dev.tern.train;

import dev.tern.ir.Model;
import dev.tern.train.internal.GradientGraphBuilder;

import java.util.List;
import java.util.Objects;

/**
 * Reverse-mode automatic differentiation on Tern IR.
 *
 * <pre>{@code
 * GradientModel grads = Autodiff.differentiate(model, "loss", List.of("fc.weight", "fc.bias"));
 * try (CompiledModel step = runtime.compile(grads.model())) {
 *     Map<String, Tensor> out = step.run(Map.of("x", x, "fc.weight", w, "fc.bias", b));
 *     Tensor dw = out.get(grads.gradientOutputs().get("fc.weight"));
 * }
 * }</pre>
 *
 * <p>The result is a new model; {@code model} is not changed (weights are shared, not copied).
 * In it, the composite ops gradients flow through (LayerNormalization, Gelu, and RNN, GRU
 * and LSTM unrolled over their sequence length) are expanded into primitives, each
 * trainable initializer is a graph input of the same name, frozen initializers stay
 * initializers, and the gradients are computed in standard {@code ai.onnx} ops of the
 * model's own opset, so the stock ONNX Runtime package runs it. Only the ops between the
 * trainable values and the loss need gradient rules; integer, boolean and shape computations
 * are left alone. Ranks and element types come from {@link dev.tern.ir.ShapeInference}, run on
 * the copy first, and from the types the model declares; a rule that needs one neither gives
 * fails naming the value.
 */
public final class Autodiff {
    private Autodiff() {
    }

    /**
     * Builds a model computing {@code lossName} and its gradient with respect to each of
     * {@code trainableNames}.
     *
     * @param model the forward model; its main graph must hold {@code lossName}
     * @param lossName the value to differentiate, a floating-point tensor (normally a scalar;
     *     otherwise the gradient of the sum of its elements)
     * @param trainableNames floating-point initializers (which become graph inputs) or graph
     *     inputs, in the order their gradient outputs should appear
     * @return the model and the names of its loss and gradient outputs
     * @throws AutodiffException if the loss or a trainable value is missing or not
     *     floating-point, a trainable value has no gradient path to the loss (the loss does not
     *     read it, or reads it only through a node that passes no gradient, which the message
     *     names), a node between them has no gradient rule ("no gradient rule for OP (domain) at
     *     node NAME"; for If, Loop and Scan the message says control flow cannot have one), a
     *     recurrent op between them cannot be unrolled ("cannot
     *     expand LSTM at node NAME: sequence length is not statically known", likewise for
     *     sequence_lens, unsupported activations), a rule needs a rank or element type that
     *     is unknown, or an op is used in a form its rule does not cover (the message says
     *     which)
     * @throws dev.tern.ir.ValidationException if the built model fails validation, which
     *     would be a bug in a rule
     */
    public static GradientModel differentiate(Model model, String lossName, List<String> trainableNames) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(lossName, "lossName");
        Objects.requireNonNull(trainableNames, "trainableNames");
        if (trainableNames.size() != trainableNames.stream().distinct().count()) {
            throw new AutodiffException("trainable names repeat: " + trainableNames);
        }
        return GradientGraphBuilder.build(model, lossName, trainableNames);
    }
}
