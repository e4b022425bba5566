package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.AttributeType;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seeding a training graph's random ops from one session seed, run under the def-use verifier. */
class RandomSeedingTest {
    /** Dropout (unseeded), RandomNormalLike (seed 5), RandomUniform (unseeded), in that order. */
    private static Model noisy() {
        GraphBuilder g = GraphBuilder.create("noisy");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(3));
        Value ratio = g.initializer(Tensor.ofFloats("ratio", new long[0], 0.5f));
        Value training = g.initializer(Tensor.ofBooleans("training", new long[0], true));
        Value dropped = g.node("Dropout").inputs(x, ratio, training).output();
        Value normal = g.node("RandomNormalLike").inputs(dropped).attr("seed", 5f).output();
        Value uniform = g.node("RandomUniform").ints("shape", 3).output();
        g.output(g.op("Add", normal, uniform), "y");
        return g.toModel(17);
    }

    @Test
    void unseededOpsGetDrawnSeedsAndASeededOneKeepsItsOwn() {
        Model model = noisy();

        assertTrue(new RandomSeeding(42).apply(model, true).modified());

        Random draws = new Random(42);
        int dropoutSeed = draws.nextInt(1 << 24);
        draws.nextInt(1 << 24);
        int uniformSeed = draws.nextInt(1 << 24);
        List<Node> nodes = model.graph().nodes();
        Attribute dropout = nodes.get(0).attribute("seed").orElseThrow();
        assertEquals(AttributeType.INT, dropout.type(), "Dropout's seed is an int");
        assertEquals(dropoutSeed, dropout.asInt());
        assertEquals(5f, nodes.get(1).attribute("seed").orElseThrow().asFloat(), "the node's own seed stays");
        assertEquals((float) uniformSeed, nodes.get(2).attribute("seed").orElseThrow().asFloat());
    }

    @Test
    void seededGraphIsLeftAsItWas() {
        Model model = noisy();
        new RandomSeeding(42).apply(model, true);

        assertFalse(new RandomSeeding(7).apply(model, true).modified());
    }
}
