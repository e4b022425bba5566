package dev.tern.exec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.exec.OptimizationLevel;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which initializers stay inline because ONNX Runtime reads them from the serialized graph. */
class WeightInliningTest {
    /** y = x W + x Transpose(V) + x U with U an optional input: only V's node folds. */
    private static Graph graph() {
        GraphBuilder g = GraphBuilder.create("folding");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(1), Dim.of(16));
        Value w = g.initializer(Tensor.zeros("w", ElementType.FLOAT, 16, 16));
        Value v = g.initializer(Tensor.zeros("v", ElementType.FLOAT, 16, 16));
        Value u = g.initializer(Tensor.zeros("u", ElementType.FLOAT, 16, 16));
        Value sum = g.op("Add", g.op("MatMul", x, w), g.op("MatMul", x, g.op("Transpose", v)));
        g.output(g.op("Add", sum, g.op("MatMul", x, g.op("Transpose", u))), "y");
        Graph graph = g.build();
        graph.addInput(u);
        return graph;
    }

    @Test
    void constantFoldingInputsStayInlineAtEveryLevelButNone() {
        assertEquals(Set.of("v"), WeightInlining.upfront(graph(), OptimizationLevel.BASIC));
        assertEquals(Set.of("v"), WeightInlining.upfront(graph(), OptimizationLevel.ALL));
        assertEquals(Set.of(), WeightInlining.upfront(graph(), OptimizationLevel.NONE));
    }

    @Test
    void convWeightsStayInlineAtLevelAllOnly() {
        GraphBuilder g = GraphBuilder.create("conv");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(1), Dim.of(1), Dim.of(8), Dim.of(8));
        Value kernel = g.initializer(Tensor.zeros("kernel", ElementType.FLOAT, 4, 1, 3, 3));
        g.output(g.op("Conv", x, kernel), "y");
        Graph graph = g.build();
        assertEquals(Set.of("kernel"), WeightInlining.upfront(graph, OptimizationLevel.ALL));
        assertEquals(Set.of(), WeightInlining.upfront(graph, OptimizationLevel.EXTENDED));
    }
}
