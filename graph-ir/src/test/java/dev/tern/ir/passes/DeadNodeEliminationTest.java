package dev.tern.ir.passes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadNodeEliminationTest {
    static List<String> ops(Graph graph) {
        return graph.nodes().stream().map(Node::opType).toList();
    }

    @Test
    void removesUnreadChainsAndTheInitializersOnlyTheyRead() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(3));
        Value unused = g.initializer(Tensor.ofFloats("unused", new long[] {3}, 1, 2, 3));
        Value kept = g.initializer(Tensor.ofFloats("kept", new long[] {3}, 4, 5, 6));
        Value dead = g.op("Exp", g.op("Mul", x, unused));
        g.op("Log", dead);
        g.output(g.op("Add", x, kept), "y");
        Model model = g.toModel(21);

        PassResult result = new DeadNodeElimination().apply(model);

        assertTrue(result.modified());
        assertEquals(List.of("Add"), ops(model.graph()));
        assertEquals(List.of("kept"), List.copyOf(model.graph().initializers().keySet()));
        model.validate();
        assertFalse(new DeadNodeElimination().apply(model).modified(), "nothing left to remove");
    }

    @Test
    void keepsInitializersThatAreInputsAndCleansSubgraphs() {
        GraphBuilder g = GraphBuilder.create("main");
        Value cond = g.input("cond", ElementType.BOOL);
        Value x = g.input("x", ElementType.FLOAT, Dim.of(3));
        GraphBuilder branch = g.subgraph("then");
        branch.op("Sin", x);
        branch.output(branch.op("Cos", x));
        GraphBuilder other = g.subgraph("else");
        other.output(other.op("Neg", x));
        Value chosen = g.node("If").inputs(cond).attr("then_branch", branch.build())
                .attr("else_branch", other.build()).output();
        g.output(chosen, "y");
        Model model = g.toModel(21);
        Value overridable = model.graph().addInitializer(Tensor.ofFloats("scale", new long[0], 2));
        model.graph().addInput(overridable);

        assertTrue(new DeadNodeElimination().apply(model).modified());

        assertEquals(List.of("Cos"), ops(model.graph().nodes().get(0).subgraphs().get(0)));
        assertTrue(model.graph().initializers().containsKey("scale"), "an input's default stays");
        model.validate();
    }
}
