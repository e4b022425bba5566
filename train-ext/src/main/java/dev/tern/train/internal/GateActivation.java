package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Value;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An activation function a recurrent op names in its {@code activations} attribute, with its
 * alpha and beta, written as primitives that have gradient rules. Every function the ONNX
 * spec lists is covered. Parameters come from {@code activation_alpha} and
 * {@code activation_beta} in order, each function taking as many as it has (LeakyRelu,
 * ThresholdedRelu and Elu an alpha; Affine, ScaledTanh and HardSigmoid an alpha and a beta),
 * with ONNX Runtime's defaults when the lists run out (the spec gives none): 0.01 for
 * LeakyRelu, 0.2 and 0.5 for HardSigmoid, 1 for Elu, 0 for the others.
 *
 * @param function which function
 * @param alpha its alpha, unused by functions without one
 * @param beta its beta, unused by functions without one
 */
record GateActivation(Function function, double alpha, double beta) {
    static final GateActivation SIGMOID = new GateActivation(Function.SIGMOID, 0, 0);
    static final GateActivation TANH = new GateActivation(Function.TANH, 0, 0);

    /** The functions, with their parameter counts and default parameters. */
    enum Function {
        SIGMOID("Sigmoid", 0, 0, 0),
        TANH("Tanh", 0, 0, 0),
        RELU("Relu", 0, 0, 0),
        AFFINE("Affine", 2, 0, 0),
        LEAKY_RELU("LeakyRelu", 1, 0.01, 0),
        THRESHOLDED_RELU("ThresholdedRelu", 1, 0, 0),
        SCALED_TANH("ScaledTanh", 2, 0, 0),
        HARD_SIGMOID("HardSigmoid", 2, 0.2, 0.5),
        ELU("Elu", 1, 1, 0),
        SOFTSIGN("Softsign", 0, 0, 0),
        SOFTPLUS("Softplus", 0, 0, 0);

        private final String spelling;
        private final int parameterCount;
        private final double defaultAlpha;
        private final double defaultBeta;

        Function(String spelling, int parameterCount, double defaultAlpha, double defaultBeta) {
            this.spelling = spelling;
            this.parameterCount = parameterCount;
            this.defaultAlpha = defaultAlpha;
            this.defaultBeta = defaultBeta;
        }
    }

    /**
     * The activation called {@code name} (ignoring case, as ONNX Runtime does), taking its
     * parameters from {@code alphas} and {@code betas}; empty for a name the spec does not list.
     */
    static Optional<GateActivation> named(String name, Iterator<Float> alphas, Iterator<Float> betas) {
        Optional<Function> function = Arrays.stream(Function.values()).filter(f -> f.spelling.equalsIgnoreCase(name)).findFirst();
        return function.map(f -> {
            double alpha = f.parameterCount >= 1 && alphas.hasNext() ? alphas.next() : f.defaultAlpha;
            double beta = f.parameterCount >= 2 && betas.hasNext() ? betas.next() : f.defaultBeta;
            return new GateActivation(f, alpha, beta);
        });
    }

    /** The supported names, for messages. */
    static String supportedNames() {
        return Arrays.stream(Function.values()).map(f -> f.spelling).collect(Collectors.joining(", "));
    }

    Value apply(TypedOps ops, Value x) {
        return switch (function) {
            case SIGMOID, TANH, RELU, SOFTSIGN, SOFTPLUS -> ops.unary(function.spelling, x);
            case AFFINE -> ops.add(ops.mul(x, ops.scalarLike(alpha, x)), ops.scalarLike(beta, x));
            case LEAKY_RELU, THRESHOLDED_RELU, ELU -> ops.unary(function.spelling, List.of(alphaAttribute()), x);
            case SCALED_TANH -> ops.mul(ops.unary("Tanh", ops.mul(x, ops.scalarLike(beta, x))), ops.scalarLike(alpha, x));
            case HARD_SIGMOID -> ops.unary(function.spelling,
                    List.of(alphaAttribute(), Attribute.ofFloat("beta", (float) beta)), x);
        };
    }

    private Attribute alphaAttribute() {
        return Attribute.ofFloat("alpha", (float) alpha);
    }
}
