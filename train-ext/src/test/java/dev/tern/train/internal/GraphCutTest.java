package dev.tern.train.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.ir.passes.PassException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Cutting a part out of a model, run under the def-use verifier. */
class GraphCutTest {
    /** encoder: h = Relu(x * w); decoder: y = Neg(h + b); a second output z = Exp(x). */
    private static Model encoderDecoder() {
        GraphBuilder g = GraphBuilder.create("autoencoder");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(2));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {2}, 1, 2));
        Value b = g.initializer(Tensor.ofFloats("b", new long[] {2}, 3, 4));
        Value h = g.node("Relu").inputs(g.op("Mul", x, w)).output("h");
        g.output(g.op("Neg", g.op("Add", h, b)), "y");
        g.output(g.op("Exp", x), "z");
        return g.toModel(17);
    }

    @Test
    void innerValueBecomesAnInputAndWhatOnlyFedItGoes() {
        Model model = encoderDecoder();

        new GraphCut(List.of("h"), List.of("y")).apply(model, true);

        assertEquals(List.of("h"), model.graph().inputs().stream().map(Value::name).toList());
        assertEquals(ValueType.tensor(ElementType.FLOAT, Shape.of(2)),
                model.graph().inputs().get(0).type(), "the type shape inference gave h");
        assertEquals(List.of("y"), model.graph().outputs().stream().map(Value::name).toList());
        assertEquals(List.of("Add", "Neg"), model.graph().nodes().stream().map(Node::opType).toList());
        assertEquals(List.of("b"), List.copyOf(model.graph().initializers().keySet()));
    }

    @Test
    void outputsAloneKeepTheInputsTheyNeed() {
        Model model = encoderDecoder();

        new GraphCut(List.of(), List.of("z")).apply(model, true);

        assertEquals(List.of("x"), model.graph().inputs().stream().map(Value::name).toList());
        assertEquals(List.of("Exp"), model.graph().nodes().stream().map(Node::opType).toList());
        assertEquals(List.of(), List.copyOf(model.graph().initializers().keySet()));
    }

    @Test
    void unknownNameIsRefusedNamingThePassAndTheOutputs() {
        PassException failure = assertThrows(PassException.class,
                () -> new GraphCut(List.of("latent"), List.of("y")).apply(encoderDecoder(), true));
        assertEquals("pass 'graph-cut': failed on model graph 'autoencoder': graph 'autoencoder' has no value named"
                + " 'latent' to export; its outputs are [y, z]", failure.getMessage());
    }
}
