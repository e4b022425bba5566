package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;

import java.util.Random;
import java.util.Set;

/**
 * ONNX's random ops in a training graph, Dropout among them: gives each one without a
 * {@code seed} attribute a seed drawn from one session seed (Dropout's seed is an int, the
 * others' a float). ONNX Runtime seeds a random kernel once, when the session is
 * created, and draws on from there run after run, so a seeded graph gives one reproducible
 * stream of noise across steps.
 */
final class RandomOps {
    /** The ops drawing random numbers, all in the default domain. */
    static final Set<String> OP_TYPES = Set.of("RandomNormal", "RandomNormalLike", "RandomUniform",
            "RandomUniformLike", "Bernoulli", "Multinomial", "Dropout");
    /** Seeds stay below 2^24, so the float attribute holds them exactly. */
    private static final int SEED_BOUND = 1 << 24;

    private RandomOps() {
    }

    static boolean isRandom(Node node) {
        return Node.DEFAULT_DOMAIN.equals(node.domain()) && OP_TYPES.contains(node.opType());
    }

    /** Sets a seed drawn from {@code seed} on every random node of {@code graph} that has none, in node order. */
    static void seed(Graph graph, long seed) {
        Random seeds = new Random(seed);
        for (Node node : graph.nodes()) {
            if (isRandom(node)) {
                int drawn = seeds.nextInt(SEED_BOUND);
                if (node.attribute("seed").isEmpty()) {
                    node.setAttribute("Dropout".equals(node.opType())
                            ? Attribute.ofInt("seed", drawn)
                            : Attribute.ofFloat("seed", drawn));
                }
            }
        }
    }
}
