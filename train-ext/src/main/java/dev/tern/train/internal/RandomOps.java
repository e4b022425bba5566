package dev.tern.train.internal;

import dev.tern.ir.Node;

import java.util.Set;

/** ONNX's random ops, Dropout among them: {@link RandomSeeding} seeds them for training, {@link NoiseMeans} replaces them for inference. */
final class RandomOps {
    /** The ops drawing random numbers, all in the default domain. */
    static final Set<String> OP_TYPES = Set.of("RandomNormal", "RandomNormalLike", "RandomUniform",
            "RandomUniformLike", "Bernoulli", "Multinomial", "Dropout");

    private RandomOps() {
    }

    static boolean isRandom(Node node) {
        return Node.DEFAULT_DOMAIN.equals(node.domain()) && OP_TYPES.contains(node.opType());
    }
}
