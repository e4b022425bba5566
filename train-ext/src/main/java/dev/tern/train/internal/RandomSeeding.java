package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.passes.Pass;

import java.util.List;
import java.util.Random;

/**
 * Gives each random op of a training graph's outer level ({@link RandomOps}, Dropout among
 * them) without a {@code seed} attribute a seed drawn from one session seed (Dropout's seed is
 * an int, the others' a float). ONNX Runtime seeds a random kernel once, when the session is
 * created, and draws on from there run after run, so a seeded graph gives one reproducible
 * stream of noise across steps. Seeds are drawn for every random node in node order, seeded or
 * not, so one node's own seed does not shift the others'. In place; it ensures every random
 * node has a seed.
 */
final class RandomSeeding extends Pass {
    /** Seeds stay below 2^24, so the float attribute holds them exactly. */
    private static final int SEED_BOUND = 1 << 24;

    private final long seed;

    RandomSeeding(long seed) {
        this.seed = seed;
    }

    @Override
    public String name() {
        return "random-seeds";
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    protected boolean run(Model model) {
        Random seeds = new Random(seed);
        boolean changed = false;
        for (Node node : randomNodes(model)) {
            int drawn = seeds.nextInt(SEED_BOUND);
            if (node.attribute("seed").isEmpty()) {
                node.setAttribute("Dropout".equals(node.opType())
                        ? Attribute.ofInt("seed", drawn)
                        : Attribute.ofFloat("seed", drawn));
                changed = true;
            }
        }
        return changed;
    }

    @Override
    protected void ensures(Model model) {
        for (Node node : randomNodes(model)) {
            if (node.attribute("seed").isEmpty()) {
                throw new IllegalStateException("random node " + node.describe() + " has no seed");
            }
        }
    }

    private static List<Node> randomNodes(Model model) {
        return model.graph().nodes().stream().filter(RandomOps::isRandom).toList();
    }
}
