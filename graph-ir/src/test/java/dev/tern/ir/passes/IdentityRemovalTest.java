package dev.tern.ir.passes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tern.ir.passes.DeadNodeEliminationTest.ops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentityRemovalTest {
    @Test
    void readersOfAnIdentityReadItsInput() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(3));
        Value relu = g.op("Relu", g.op("Identity", g.op("Identity", x)));
        g.output(relu, "y");
        Model model = g.toModel(21);

        assertTrue(new IdentityRemoval().apply(model).modified());

        assertEquals(List.of("Relu"), ops(model.graph()));
        assertSame(x, model.graph().nodes().get(0).input(0));
        model.validate();
    }

    @Test
    void graphOutputKeepsItsNameAndDeclaredType() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"));
        Value relu = g.op("Relu", x);
        Value identity = g.node("Identity").inputs(relu).output("y");
        identity.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of("batch"))));
        g.output(identity);
        Model model = g.toModel(21);

        new IdentityRemoval().apply(model);

        assertEquals(List.of("Relu"), ops(model.graph()));
        Value output = model.graph().outputs().get(0);
        assertSame(relu, output);
        assertEquals("y", output.name());
        assertEquals(ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of("batch"))), output.type());
        model.validate();
    }

    @Test
    void keepsAnIdentityThatPassesAnInputThroughToAnOutput() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(3));
        g.output(x, "y");
        Model model = g.toModel(21);

        assertEquals(false, new IdentityRemoval().apply(model).modified());
        assertEquals(List.of("Identity"), ops(model.graph()));
    }

    @Test
    void removesIdentitiesInsideSubgraphs() {
        GraphBuilder g = GraphBuilder.create("main");
        Value cond = g.input("cond", ElementType.BOOL);
        Value x = g.input("x", ElementType.FLOAT, Dim.of(3));
        GraphBuilder branch = g.subgraph("then");
        branch.output(branch.op("Abs", branch.op("Identity", x)));
        GraphBuilder other = g.subgraph("else");
        other.output(other.op("Neg", x));
        g.output(g.node("If").inputs(cond).attr("then_branch", branch.build())
                .attr("else_branch", other.build()).output(), "y");
        Model model = g.toModel(21);

        assertTrue(new IdentityRemoval().apply(model).modified());

        assertEquals(List.of("Abs"), ops(model.graph().nodes().get(0).subgraphs().get(0)));
        model.validate();
    }
}
