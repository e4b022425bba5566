package dev.tern.ir;

import dev.tern.ir.internal.DefUseVerifier;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphBuilderTest {

    @Test
    void buildsAValidMlpModel() {
        GraphBuilder g = GraphBuilder.create("mlp");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(64));
        Value w = g.initializer(Tensor.zeros("w", ElementType.FLOAT, 64, 128));
        Value h = g.op("MatMul", x, w);
        Value r = g.node("LeakyRelu").inputs(h).attr("alpha", 0.1f).output();
        g.output(r, "y");
        Model model = g.toModel(21);

        Graph graph = model.graph();
        assertEquals(21L, model.opsetImports().get(""));
        assertEquals(List.of("MatMul_0", "LeakyRelu_0"), graph.nodes().stream().map(Node::name).toList());
        assertEquals("MatMul_0", h.name());
        assertEquals("y", r.name());
        assertEquals(List.of(r), graph.outputs());
        assertEquals(ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of("batch"), Dim.of(64))), x.type());
        assertEquals(0.1f, r.producer().attribute("alpha").orElseThrow().asFloat());
        assertSame(w, graph.initializers().get("w"));
        DefUseVerifier.verify(model);
    }

    @Test
    void nodeBuilderSetsDomainNameAttributesAndSeveralOutputs() {
        GraphBuilder g = GraphBuilder.create("g").opset("com.microsoft", 1);
        Value x = g.input("x", ElementType.FLOAT, Dim.of(4));
        List<Value> parts = g.node("Split").name("split").inputs(x).attr("axis", 0L).ints("split", 2, 2).outputs(2);
        assertEquals(List.of("split_0", "split_1"), parts.stream().map(Value::name).toList());
        List<Value> named = g.node("Fused").domain("com.microsoft").inputs(parts.get(0), null, parts.get(1))
                .attr("mode", "fast").floats("scales", 1f, 2f).strings("tags", "a", "b")
                .attr("bias", Tensor.ofFloats("", new long[] {1}, 3f)).outputs("main", null);
        assertNull(named.get(1));
        Node fused = named.get(0).producer();
        assertEquals("com.microsoft", fused.domain());
        assertNull(fused.input(1));
        assertEquals("fast", fused.attribute("mode").orElseThrow().asString());
        assertArrayEquals(new long[] {2, 2}, parts.get(0).producer().attribute("split").orElseThrow().asInts());
        assertEquals(List.of("a", "b"), fused.attribute("tags").orElseThrow().asStrings());
        g.output(named.get(0));
        Model model = g.toModel(21);
        assertEquals(1L, model.opsetImports().get("com.microsoft"));
    }

    @Test
    void subgraphsReadOuterValuesAndValidateWithTheModel() {
        GraphBuilder g = GraphBuilder.create("main");
        Value cond = g.input("cond", ElementType.BOOL);
        Value x = g.input("x", ElementType.FLOAT, Dim.of(2));
        GraphBuilder thenBranch = g.subgraph("then");
        thenBranch.output(thenBranch.op("Neg", x));
        GraphBuilder elseBranch = g.subgraph("else");
        elseBranch.output(x, "passed");
        Value chosen = g.node("If").inputs(cond)
                .attr("then_branch", thenBranch.build()).attr("else_branch", elseBranch.build()).output("chosen");
        g.output(chosen);
        Model model = g.toModel(21);
        Node ifNode = chosen.producer();
        assertEquals(2, ifNode.subgraphs().size());
        assertEquals("Identity", ifNode.subgraphs().get(1).nodes().get(0).opType(),
                "an outer value output under a new name goes through Identity");
        assertEquals(2, x.uses().size(), "Neg and Identity in the branches read x");
        DefUseVerifier.verify(model);
    }

    @Test
    void aSubgraphValueIsNotVisibleOutside() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT);
        GraphBuilder body = g.subgraph("body");
        Value inner = body.op("Neg", x);
        IrException e = assertThrows(IrException.class, () -> g.op("Relu", inner));
        assertEquals("graph 'main': node <unnamed> (Relu) input 0 'Neg_0' is not defined "
                + "in this graph or an enclosing one", e.getMessage());
    }

    @Test
    void valuesOfAnotherBuilderAreRefused() {
        Value foreign = GraphBuilder.create("other").input("x", ElementType.FLOAT);
        GraphBuilder g = GraphBuilder.create("main");
        IrException e = assertThrows(IrException.class, () -> g.output(foreign));
        assertTrue(e.getMessage().contains("'x' is not defined in this graph or an enclosing one"), e.getMessage());
    }

    @Test
    void namesAreUniqueAcrossTheGraphAndItsSubgraphs() {
        GraphBuilder g = GraphBuilder.create("main");
        g.input("x", ElementType.FLOAT);
        IrException input = assertThrows(IrException.class, () -> g.input("x", ElementType.FLOAT));
        assertEquals("graph 'main': value name 'x' is already used in this graph or an enclosing or sibling one",
                input.getMessage());
        GraphBuilder body = g.subgraph("body");
        assertThrows(IrException.class, () -> body.input("x", ElementType.FLOAT));
        Value y = g.input("y", ElementType.FLOAT);
        g.node("Neg").name("neg").inputs(y).output();
        IrException node = assertThrows(IrException.class, () -> g.node("Abs").name("neg"));
        assertEquals("graph 'main': node name 'neg' is already used", node.getMessage());
    }

    @Test
    void autoNamesSkipNamesTakenExplicitly() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT);
        g.node("Neg").name("first").inputs(x).output("Neg_0");
        Value second = g.op("Neg", x);
        assertEquals("Neg_0_0", second.name(), "the node is Neg_0, but a value has that name already");
        assertEquals("Neg_0", second.producer().name());
    }

    @Test
    void argumentsAreCheckedAtOnce() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT);
        IrException twice = assertThrows(IrException.class, () -> g.node("LeakyRelu").attr("alpha", 0.1f).attr("alpha", 0.2f));
        assertEquals("graph 'main': node <unnamed> (LeakyRelu): attribute 'alpha' set twice", twice.getMessage());
        assertThrows(IrException.class, () -> g.node(""));
        IrException unnamed = assertThrows(IrException.class, () -> g.initializer(Tensor.zeros("", ElementType.FLOAT, 1)));
        assertTrue(unnamed.getMessage().contains("use initializer(name, tensor)"), unnamed.getMessage());
        assertThrows(IrException.class, () -> g.node("Split").inputs(x).outputs(-1));
        assertThrows(IrException.class, () -> g.subgraph("body").opset("x", 1));
        assertThrows(IrException.class, () -> g.opset("x", 0));
        NodeBuilder neg = g.node("Neg").inputs(x);
        neg.output();
        IrException again = assertThrows(IrException.class, neg::output);
        assertTrue(again.getMessage().endsWith("was already added"), again.getMessage());
    }

    @Test
    void aBuiltBuilderRefusesChanges() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT);
        g.output(x);
        g.build();
        IrException e = assertThrows(IrException.class, () -> g.op("Neg", x));
        assertEquals("graph builder 'main' was already built", e.getMessage());
    }

    @Test
    void toModelValidatesOpsetImports() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT);
        g.output(g.node("Custom").domain("com.example").inputs(x).output());
        ValidationException e = assertThrows(ValidationException.class, () -> g.toModel(21));
        assertTrue(e.getMessage().contains("which the model does not import"), e.getMessage());
    }

    @Test
    void outputUnderANewNameRenamesANodeResultButWrapsAnInput() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT);
        Value neg = g.op("Neg", x);
        g.output(neg, "negated");
        g.output(neg, "again");
        g.output(x, "copy");
        Graph graph = g.build();
        assertEquals(List.of("negated", "again", "copy"), graph.outputs().stream().map(Value::name).toList());
        assertEquals("x", x.name());
        assertEquals(List.of("Neg", "Identity", "Identity"), graph.nodes().stream().map(Node::opType).toList());
    }
}
