package dev.tern.ir;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Finding a graph's own values by name. */
class GraphLookupTest {
    @Test
    void findsInputsInitializersAndNodeOutputsButNotSubgraphValues() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(2));
        Value cond = g.input("cond", ElementType.BOOL);
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {2}, 1, 2));
        Value product = g.node("Mul").inputs(x, w).output("product");
        GraphBuilder branch = g.subgraph("branch");
        branch.output(branch.node("Abs").inputs(product).output("inner"));
        GraphBuilder other = g.subgraph("other");
        other.output(other.node("Neg").inputs(product).output("negated"));
        g.output(g.node("If").inputs(cond).attr("then_branch", branch.build()).attr("else_branch", other.build())
                .output("chosen"));
        Graph graph = g.build();

        assertSame(x, graph.findValue("x").orElseThrow());
        assertSame(w, graph.findValue("w").orElseThrow());
        assertSame(product, graph.findValue("product").orElseThrow());
        assertEquals(Optional.empty(), graph.findValue("inner"), "a subgraph's value");
        Graph inner = graph.nodes().get(1).subgraphs().get(0);
        assertEquals(Optional.empty(), inner.findValue("product"), "an outer value the branch reads");
        assertEquals(Optional.empty(), graph.findValue("missing"));
    }

    @Test
    void anInitializerThatIsAlsoAnInputIsOneValue() {
        Graph graph = new Graph("defaults");
        Value w = graph.addInitializer(Tensor.ofFloats("w", new long[] {1}, 3));
        graph.addInput(w);

        assertSame(w, graph.findValue("w").orElseThrow());
    }
}
