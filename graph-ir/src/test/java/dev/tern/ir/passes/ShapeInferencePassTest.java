package dev.tern.ir.passes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.InferenceReport;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeInferencePassTest {
    @Test
    void fillsTypesAndReportsAChangeOnce() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(4));
        Value w = g.initializer(Tensor.zeros("w", ElementType.FLOAT, 4, 2));
        Value h = g.op("MatMul", x, w);
        g.output(g.op("Relu", h), "y");
        Model model = g.toModel(21);
        List<InferenceReport> reports = new ArrayList<>();

        assertTrue(new ShapeInferencePass(reports::add).apply(model).modified());

        assertEquals(ValueType.tensor(ElementType.FLOAT, dev.tern.ir.Shape.of(Dim.of("batch"), Dim.of(2))), h.type());
        assertEquals(1, reports.size());
        assertFalse(new ShapeInferencePass().apply(model).modified(), "a second run finds nothing new");
    }

    @Test
    void requiresAValidModel() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(4));
        g.output(g.op("Relu", x), "y");
        Model model = g.toModel(21);
        Node stray = new Node("", "Neg", List.of(new Value("nowhere")), List.of(new Value("n")), List.of());
        model.graph().appendNode(stray);

        PassException failure = assertThrows(PassException.class, () -> new ShapeInferencePass().apply(model));
        assertTrue(failure.getMessage().startsWith("pass 'shape-inference': precondition failed: "),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("nowhere"), failure.getMessage());
    }
}
