package dev.tern.train.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.PassException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InferenceExportTest {
    private static Model scale() {
        GraphBuilder g = GraphBuilder.create("scale");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(2));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {2}, 1, 1));
        g.output(g.op("Mul", x, w), "y");
        return g.toModel(17);
    }

    @Test
    void copyHoldsTheTrainedWeightsAndTheOriginalKeepsItsOwn() {
        Model model = scale();
        Model exported = InferenceExport.withWeights(model,
                Map.of("w", Tensor.ofFloats("trained", new long[] {2}, 0.5f, 3)));

        Tensor trained = exported.graph().initializers().get("w").initializer();
        assertEquals("w", trained.name());
        assertArrayEquals(new float[] {0.5f, 3}, trained.toFloatArray());
        assertArrayEquals(new float[] {1, 1}, model.graph().initializers().get("w").initializer().toFloatArray());
    }

    @Test
    void trainingModeDropoutBecomesTheIdentity() {
        GraphBuilder g = GraphBuilder.create("dropout");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(2));
        Value ratio = g.initializer(Tensor.ofFloats("ratio", new long[0], 0.3f));
        Value training = g.initializer(Tensor.ofBooleans("training", new long[0], true));
        Value dropped = g.node("Dropout").inputs(x, ratio, training).output();
        g.output(g.op("Mul", dropped, g.initializer(Tensor.ofFloats("w", new long[] {2}, 1, 1))), "y");

        Model exported = InferenceExport.withWeights(g.toModel(17), Map.of());

        assertEquals(List.of("Mul"), exported.graph().nodes().stream().map(Node::opType).toList());
        assertSame(exported.graph().inputs().get(0), exported.graph().nodes().get(0).input(0));
    }

    @Test
    void weightWithoutAnInitializerIsRefusedByName() {
        PassException failure = assertThrows(PassException.class, () -> InferenceExport.withWeights(scale(),
                Map.of("v", Tensor.ofFloats("v", new long[] {2}, 0, 0))));
        assertEquals("pass 'trained-weights': precondition failed: graph 'scale' has no initializer 'v' to hold a"
                + " trained weight", failure.getMessage());
    }
}
