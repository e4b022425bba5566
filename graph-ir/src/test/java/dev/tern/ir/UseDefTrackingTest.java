package dev.tern.ir;

import dev.tern.ir.internal.DefUseVerifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every mutation keeps use lists right; the def-use verifier runs after each one. */
class UseDefTrackingTest {
    private Graph graph;
    private Value x;
    private Value y;
    private Node add;
    private Node relu;
    private Value sum;
    private Value result;

    @BeforeEach
    void buildAddRelu() {
        graph = new Graph("main");
        x = new Value("x", ValueType.tensor(ElementType.FLOAT, 2));
        y = new Value("y", ValueType.tensor(ElementType.FLOAT, 2));
        graph.addInput(x);
        graph.addInput(y);
        sum = new Value("sum");
        add = node("add", "Add", List.of(x, y), sum);
        result = new Value("result");
        relu = node("relu", "Relu", List.of(sum), result);
        graph.appendNode(add);
        graph.appendNode(relu);
        graph.addOutput(result);
        DefUseVerifier.verify(graph);
    }

    private static Node node(String name, String op, List<Value> inputs, Value... outputs) {
        Node node = new Node("", op, inputs, List.of(outputs), List.of());
        node.setName(name);
        return node;
    }

    @Test
    void constructionRegistersEachInputOnce() {
        assertEquals(List.of(new Value.Use(add, 0)), x.uses());
        assertEquals(List.of(new Value.Use(add, 1)), y.uses());
        assertSame(add, sum.producer());
        assertEquals(0, sum.outputIndex());
        assertEquals(List.of(graph), result.graphsOutputting());
    }

    @Test
    void insertBeforeAndAfterRegisterUses() {
        Value negated = new Value("negated");
        Node neg = node("neg", "Neg", List.of(x), negated);
        graph.insertBefore(add, neg);
        Node abs = node("abs", "Abs", List.of(negated), new Value("absolute"));
        graph.insertAfter(neg, abs);
        assertEquals(List.of(neg, abs, add, relu), graph.nodes());
        assertEquals(2, x.uses().size());
        assertEquals(List.of(new Value.Use(abs, 0)), negated.uses());
        DefUseVerifier.verify(graph);
    }

    @Test
    void removeNodeDropsItsUses() {
        graph.setOutput(0, sum);
        graph.removeNode(relu);
        assertTrue(sum.uses().isEmpty());
        assertNull(relu.graph());
        DefUseVerifier.verify(graph);
    }

    @Test
    void removingANodeStillUsedFailsNamingValueAndUsers() {
        IrException e = assertThrows(IrException.class, () -> graph.removeNode(add));
        assertEquals("graph 'main': cannot remove output of node 'add' (Add) 'sum', still used by 'relu' (Relu) input 0",
                e.getMessage());
        assertEquals(List.of(add, relu), graph.nodes());
        IrException output = assertThrows(IrException.class, () -> graph.removeNode(relu));
        assertTrue(output.getMessage().contains("output of graph 'main'"), output.getMessage());
        DefUseVerifier.verify(graph);
    }

    @Test
    void reAddingARemovedNodeRestoresItsUses() {
        graph.setOutput(0, sum);
        graph.removeNode(relu);
        graph.appendNode(relu);
        assertEquals(List.of(new Value.Use(relu, 0)), sum.uses());
        DefUseVerifier.verify(graph);
        IrException twice = assertThrows(IrException.class, () -> graph.appendNode(relu));
        assertTrue(twice.getMessage().contains("already belongs to graph 'main'"), twice.getMessage());
    }

    @Test
    void setInputMovesTheUse() {
        add.setInput(1, x);
        assertTrue(y.uses().isEmpty());
        assertEquals(List.of(new Value.Use(add, 0), new Value.Use(add, 1)), x.uses());
        add.setInput(0, null);
        assertEquals(List.of(new Value.Use(add, 1)), x.uses());
        DefUseVerifier.verify(graph);
    }

    @Test
    void replaceInputReplacesEveryOccurrence() {
        add.setInput(1, x);
        add.replaceInput(x, y);
        assertTrue(x.uses().isEmpty());
        assertEquals(2, y.uses().size());
        DefUseVerifier.verify(graph);
    }

    @Test
    void replaceAllUsesWithMovesNodeUsesButNotGraphOutputs() {
        Value doubled = new Value("doubled");
        Node twice = node("twice", "Add", List.of(sum, sum), doubled);
        graph.insertAfter(add, twice);
        sum.replaceAllUsesWith(x);
        assertTrue(sum.uses().isEmpty());
        assertEquals(4, x.uses().size());
        graph.addOutput(sum);
        y.replaceAllUsesWith(x);
        assertEquals(List.of(graph), sum.graphsOutputting());
        DefUseVerifier.verify(graph);
    }

    @Test
    void renameKeepsUsesAndTheInitializerIndex() {
        Value weight = graph.addInitializer(Tensor.ofFloats("w", new long[] {2}, 1, 2));
        add.setInput(1, weight);
        weight.rename("weight");
        x.rename("input");
        assertEquals(List.of("weight"), List.copyOf(graph.initializers().keySet()));
        assertSame(weight, graph.initializers().get("weight"));
        assertEquals(List.of(new Value.Use(add, 1)), weight.uses());
        graph.addInitializer(Tensor.ofFloats("other", new long[] {2}, 3, 4));
        IrException clash = assertThrows(IrException.class, () -> weight.rename("other"));
        assertTrue(clash.getMessage().contains("another initializer has that name"), clash.getMessage());
        assertEquals("weight", weight.name());
        DefUseVerifier.verify(graph);
    }

    @Test
    void removingAnUsedInitializerFails() {
        Value weight = graph.addInitializer(Tensor.ofFloats("w", new long[] {2}, 1, 2));
        add.setInput(1, weight);
        IrException e = assertThrows(IrException.class, () -> graph.removeInitializer("w"));
        assertTrue(e.getMessage().contains("still used by 'add' (Add) input 1"), e.getMessage());
        add.setInput(1, y);
        graph.removeInitializer("w");
        assertTrue(graph.initializers().isEmpty());
    }

    @Test
    void subgraphReadsOfOuterValuesFollowTheirNode() {
        Graph branch = new Graph("then");
        Value negated = new Value("negated");
        branch.appendNode(node("inner", "Neg", List.of(x), negated));
        branch.addOutput(negated);
        Node ifNode = node("if", "If", List.of(y), new Value("chosen"));
        ifNode.setAttribute(Attribute.ofGraph("then_branch", branch));
        graph.appendNode(ifNode);
        assertEquals(2, x.uses().size());
        DefUseVerifier.verify(graph);

        graph.removeNode(ifNode);
        assertEquals(List.of(new Value.Use(add, 0)), x.uses(), "a removed node's subgraph no longer uses x");
        graph.appendNode(ifNode);
        assertEquals(2, x.uses().size());
        DefUseVerifier.verify(graph);

        ifNode.removeAttribute("then_branch");
        assertEquals(1, x.uses().size(), "a detached subgraph no longer uses x");
        assertNull(branch.parentNode());
        ifNode.setAttribute(Attribute.ofGraph("then_branch", branch));
        assertEquals(2, x.uses().size());
        DefUseVerifier.verify(graph);
    }

    @Test
    void verifierReportsANodeMadeButNeverAdded() {
        node("orphan", "Neg", List.of(x), new Value("lost"));
        ValidationException e = assertThrows(ValidationException.class, () -> DefUseVerifier.verify(graph));
        assertEquals("value 'x' lists a use by node 'orphan' (Neg) input 0, which is not in the model "
                + "(was it made and never added?)", e.getMessage());
    }

    @Test
    void verifierReportsCorruptedUseLists() {
        sum.addUse(add, 5);
        ValidationException stale = assertThrows(ValidationException.class, () -> DefUseVerifier.verify(graph));
        assertEquals("value 'sum' lists a use by node 'add' (Add) input 5, but that input is empty", stale.getMessage());
        sum.removeUse(add, 5);
        x.removeUse(add, 0);
        ValidationException missing = assertThrows(ValidationException.class, () -> DefUseVerifier.verify(graph));
        assertEquals("graph 'main': node 'add' (Add) input 0 'x' is registered 0 times among the value's uses, expected once",
                missing.getMessage());
    }
}
