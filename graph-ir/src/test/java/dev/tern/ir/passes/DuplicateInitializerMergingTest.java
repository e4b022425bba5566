package dev.tern.ir.passes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.QuantizationAnnotation;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DuplicateInitializerMergingTest {
    @Test
    void readersOfACopyReadTheFirst() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(3));
        Value a = g.initializer(Tensor.ofFloats("a", new long[] {3}, 1, 2, 3));
        Value b = g.initializer(Tensor.ofFloats("b", new long[] {3}, 1, 2, 3));
        Value otherShape = g.initializer(Tensor.ofFloats("c", new long[] {1, 3}, 1, 2, 3));
        Value otherType = g.initializer(Tensor.ofInts("d", new long[] {3}, 1, 2, 3));
        Value sum = g.op("Add", g.op("Mul", x, a), g.op("Mul", x, b));
        g.output(g.op("Add", sum, otherShape), "y");
        g.output(g.op("Cast", otherType), "z");
        Model model = g.toModel(21);

        assertTrue(new DuplicateInitializerMerging().apply(model).modified());

        assertEquals(List.of("a", "c", "d"), List.copyOf(model.graph().initializers().keySet()));
        assertSame(a, model.graph().nodes().get(1).input(1));
        model.validate();
        assertFalse(new DuplicateInitializerMerging().apply(model).modified());
    }

    @Test
    void leavesInputsAndAnnotatedTensorsAlone() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(3));
        Value a = g.initializer(Tensor.ofFloats("a", new long[] {3}, 1, 2, 3));
        Value b = g.initializer(Tensor.ofFloats("b", new long[] {3}, 1, 2, 3));
        Value c = g.initializer(Tensor.ofFloats("c", new long[] {3}, 1, 2, 3));
        g.output(g.op("Sum", x, a, b, c), "y");
        Model model = g.toModel(21);
        model.graph().addInput(b);
        model.graph().quantizationAnnotations().put("y", QuantizationAnnotation.linear("c", "a"));

        assertFalse(new DuplicateInitializerMerging().apply(model).modified());
        assertEquals(3, model.graph().initializers().size());
    }
}
