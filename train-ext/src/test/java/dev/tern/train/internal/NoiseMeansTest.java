package dev.tern.train.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.PassException;
import dev.tern.ir.passes.PassResult;
import dev.tern.train.RuntimeExtension;
import dev.tern.train.TrainingException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random ops replaced by their means, run under the def-use verifier. */
class NoiseMeansTest extends RuntimeExtension {
    /** y = x + RandomNormalLike(x, mean 2) + RandomUniform([3], low 1, high 4) */
    @Test
    void noiseBecomesItsMean() {
        GraphBuilder g = GraphBuilder.create("noisy");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(3));
        Value normal = g.node("RandomNormalLike").inputs(x).attr("mean", 2f).output();
        Value uniform = g.node("RandomUniform").ints("shape", 3).attr("low", 1f).attr("high", 4f).output();
        g.output(g.op("Add", g.op("Add", x, normal), uniform), "y");
        Model model = g.toModel(17);

        PassResult result = new NoiseMeans().apply(model, true);

        assertTrue(result.modified());
        assertFalse(model.graph().nodes().stream().anyMatch(RandomOps::isRandom));
        assertEquals("y", model.graph().outputs().get(0).name());
        try (CompiledModel compiled = runtime.compile(model)) {
            Tensor y = compiled.run(Map.of("x", Tensor.ofFloats("x", new long[] {3}, 0, 1, -1))).get("y");
            assertArrayEquals(new float[] {4.5f, 5.5f, 3.5f}, y.toFloatArray());
        }
    }

    @Test
    void modelWithoutNoiseIsLeftAsItWas() {
        GraphBuilder g = GraphBuilder.create("plain");
        g.output(g.op("Neg", g.input("x", ElementType.FLOAT, Dim.of(3))), "y");
        Model model = g.toModel(17);
        List<Node> before = List.copyOf(model.graph().nodes());

        assertFalse(new NoiseMeans().apply(model, true).modified());
        assertEquals(before, model.graph().nodes());
        assertEquals(null, model.graph().outputs().get(0).type(), "shapes were not inferred");
    }

    @Test
    void opWithoutAMeanIsRefusedNamingThePassAndTheNode() {
        GraphBuilder g = GraphBuilder.create("sampling");
        Value logits = g.input("logits", ElementType.FLOAT, Dim.of(1), Dim.of(4));
        g.output(g.node("Multinomial").name("draw").inputs(logits).output(), "sample");
        Model model = g.toModel(17);

        PassException failure = assertThrows(PassException.class, () -> new NoiseMeans().apply(model, true));
        assertEquals("pass 'noise-means': failed on model graph 'sampling': cannot export 'draw' (Multinomial)"
                + " for inference: it has no mean of its own type to stand for it", failure.getMessage());
        assertInstanceOf(TrainingException.class, failure.getCause());
    }
}
