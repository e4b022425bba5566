package dev.tern.train.internal;

import dev.tern.ir.Value;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The activation functions a recurrent op may name in its {@code activations} attribute that
 * the expansion can write as primitives with gradient rules. The others the ONNX spec lists
 * (Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, Softplus) are
 * refused by name.
 */
enum GateActivation {
    SIGMOID("Sigmoid"),
    TANH("Tanh"),
    RELU("Relu");

    private final String opType;

    GateActivation(String opType) {
        this.opType = opType;
    }

    /** The activation called {@code name}, ignoring case as ONNX Runtime does. */
    static Optional<GateActivation> named(String name) {
        return Arrays.stream(values()).filter(a -> a.opType.equalsIgnoreCase(name)).findFirst();
    }

    /** The supported names, for messages. */
    static String supportedNames() {
        return Arrays.stream(values()).map(a -> a.opType).collect(Collectors.joining(", "));
    }

    Value apply(TypedOps ops, Value x) {
        return ops.unary(opType, x);
    }
}
