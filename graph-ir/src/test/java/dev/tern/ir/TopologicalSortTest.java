package dev.tern.ir;

import dev.tern.ir.internal.DefUseVerifier;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TopologicalSortTest {
    private final Graph graph = new Graph("g");
    private final Value x = new Value("x");

    TopologicalSortTest() {
        graph.addInput(x);
    }

    private Node append(String name, List<Value> inputs, Value output) {
        Node node = new Node("", "Op", inputs, List.of(output), List.of());
        node.setName(name);
        graph.appendNode(node);
        return node;
    }

    @Test
    void aValidOrderIsKept() {
        Value a = new Value("a");
        Value b = new Value("b");
        Node first = append("first", List.of(x), a);
        Node independent = append("independent", List.of(x), new Value("c"));
        Node second = append("second", List.of(a), b);
        graph.sortTopologically();
        assertEquals(List.of(first, independent, second), graph.nodes());
    }

    @Test
    void readersMoveAfterProducersAndIndependentNodesKeepTheirOrder() {
        Value a = new Value("a");
        Value b = new Value("b");
        Node last = append("last", List.of(b), new Value("d"));
        Node free1 = append("free1", List.of(x), new Value("e"));
        Node middle = append("middle", List.of(a), b);
        Node free2 = append("free2", List.of(x), new Value("f"));
        Node first = append("first", List.of(x), a);
        graph.sortTopologically();
        assertEquals(List.of(free1, free2, first, middle, last), graph.nodes());
        DefUseVerifier.verify(graph);
    }

    @Test
    void aCycleIsReportedNamingItsNodesAndTheOrderIsUnchanged() {
        Value a = new Value("a");
        Value b = new Value("b");
        Node before = append("before", List.of(x), new Value("c"));
        Node p = append("p", List.of(b), a);
        Node q = append("q", List.of(a), b);
        Node after = append("after", List.of(b), new Value("d"));
        IrException e = assertThrows(IrException.class, graph::sortTopologically);
        assertEquals("graph 'g' has a cycle: 'p' (Op) -> 'q' (Op) -> 'p' (Op)", e.getMessage());
        assertEquals(List.of(before, p, q, after), graph.nodes());
    }

    @Test
    void aNodeReadingItsOwnOutputIsACycle() {
        Value a = new Value("a");
        append("self", List.of(x, a), a);
        IrException e = assertThrows(IrException.class, graph::sortTopologically);
        assertEquals("graph 'g' has a cycle: 'self' (Op) -> 'self' (Op)", e.getMessage());
    }

    @Test
    void outerReadsOfSubgraphsCountAsDependencies() {
        Value late = new Value("late");
        Graph branch = new Graph("then");
        Value negated = new Value("negated");
        branch.appendNode(new Node("", "Neg", List.of(late), List.of(negated), List.of()));
        branch.addOutput(negated);
        Node ifNode = new Node("", "If", List.of(x), List.of(new Value("chosen")), List.of(Attribute.ofGraph("then_branch", branch)));
        graph.appendNode(ifNode);
        Node producer = append("producer", List.of(x), late);
        graph.sortTopologically();
        assertEquals(List.of(producer, ifNode), graph.nodes());
    }

    @Test
    void subgraphsAreSortedToo() {
        Graph body = new Graph("body");
        Value a = new Value("a");
        Value b = new Value("b");
        Node reader = new Node("", "Relu", List.of(a), List.of(b), List.of());
        Node producer = new Node("", "Neg", List.of(x), List.of(a), List.of());
        body.appendNode(reader);
        body.appendNode(producer);
        body.addOutput(b);
        graph.appendNode(new Node("", "If", List.of(x), List.of(new Value("out")), List.of(Attribute.ofGraph("then_branch", body))));
        graph.sortTopologically();
        assertEquals(List.of(producer, reader), body.nodes());
    }
}
