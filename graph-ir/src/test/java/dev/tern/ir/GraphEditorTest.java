package dev.tern.ir;

import dev.tern.ir.internal.DefUseVerifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphEditorTest {
    private Model model;
    private Graph graph;
    private Value x;
    private Node relu;
    private Node neg;

    /** x -> Relu -> Neg -> y, with an If whose branch reads the Relu's output. */
    @BeforeEach
    void build() {
        GraphBuilder g = GraphBuilder.create("main");
        x = g.input("x", ElementType.FLOAT, Dim.of(3));
        Value cond = g.input("cond", ElementType.BOOL);
        Value r = g.op("Relu", x);
        GraphBuilder branch = g.subgraph("branch");
        branch.output(branch.op("Abs", r));
        GraphBuilder other = g.subgraph("other");
        other.output(other.op("Sign", r));
        Value chosen = g.node("If").inputs(cond).attr("then_branch", branch.build())
                .attr("else_branch", other.build()).output();
        g.output(g.op("Neg", r), "y");
        g.output(chosen, "z");
        model = g.toModel(21);
        graph = model.graph();
        relu = r.producer();
        neg = graph.outputs().get(0).producer();
    }

    private List<String> opOrder() {
        return graph.nodes().stream().map(Node::opType).toList();
    }

    @Test
    void freshNamesAvoidEveryNameInTheGraphAndItsSubgraphs() {
        GraphEditor editor = GraphEditor.of(graph);
        assertEquals("Abs_0_0", editor.freshName("Abs_0"), "the branch holds Abs_0 already");
        assertEquals("Abs_0_1", editor.freshName("Abs_0"));
        assertEquals("x_0", editor.freshName("x"));
        assertEquals("new", editor.freshName("new"));
        assertEquals("new_0", editor.freshName("new"));
    }

    @Test
    void editorOfASubgraphAvoidsOuterNames() {
        Graph branch = graph.nodes().get(1).subgraphs().get(0);
        assertEquals("x_0", GraphEditor.of(branch).freshName("x"));
    }

    @Test
    void insertsBeforeAnAnchorInOrder() {
        GraphEditor editor = GraphEditor.of(graph).insertBefore(neg);
        Value a = editor.addOp("Sqrt", relu.output(0));
        editor.addOp("Exp", a);
        assertEquals(List.of("Relu", "If", "Sqrt", "Exp", "Neg"), opOrder());
        assertEquals("Sqrt", a.name());
        assertEquals("Sqrt", a.producer().name());
        model.validate();
    }

    @Test
    void insertsAfterAnAnchorEachAfterTheLast() {
        GraphEditor editor = GraphEditor.of(graph).insertAfter(relu);
        Value a = editor.addOp("Sqrt", relu.output(0));
        editor.addOp("Exp", a);
        editor.append().addOp("Log", x);
        assertEquals(List.of("Relu", "Sqrt", "Exp", "If", "Neg", "Log"), opOrder());
        model.validate();
    }

    @Test
    void multiOutputNodeNamesItsOutputsAfterItself() {
        Node split = GraphEditor.of(graph).addNode("Split", List.of(x), 2, List.of(Attribute.ofInt("axis", 0)));
        assertEquals("Split", split.name());
        assertEquals(List.of("Split_0", "Split_1"), split.outputs().stream().map(Value::name).toList());
    }

    @Test
    void claimedNamesAreTakenOnceAndAvoidedAfter() {
        GraphEditor editor = GraphEditor.of(graph);
        assertFalse(editor.claimName("x"), "a graph input has it");
        assertFalse(editor.claimName("Abs_0"), "a subgraph's node has it");
        assertTrue(editor.claimName("target"));
        assertFalse(editor.claimName("target"));
        assertEquals("target_0", editor.freshName("target"));
    }

    @Test
    void nodeBuiltElsewhereGoesAtTheInsertionPointAndItsNamesAreTaken() {
        GraphEditor editor = GraphEditor.of(graph).insertBefore(neg);
        Node sqrt = new Node(Node.DEFAULT_DOMAIN, "Sqrt", List.of(relu.output(0)), List.of(new Value("root")),
                List.of());
        sqrt.setName("square_root");
        assertSame(sqrt, editor.addNode(sqrt));
        assertEquals(List.of("Relu", "If", "Sqrt", "Neg"), opOrder());
        assertEquals("root_0", editor.freshName("root"));
        assertEquals("square_root_0", editor.freshName("square_root"));
        model.validate();
        DefUseVerifier.verify(model);

        IrException twice = assertThrows(IrException.class, () -> editor.addNode(sqrt));
        assertEquals("node 'square_root' (Sqrt) already belongs to graph 'main'", twice.getMessage());
    }

    @Test
    void initializersGetFreshNames() {
        GraphEditor editor = GraphEditor.of(graph);
        Value first = editor.addInitializer("x", Tensor.ofFloats("ignored", new long[0], 1));
        assertEquals("x_0", first.name());
        assertEquals("x_0", first.initializer().name());
        assertSame(first, graph.initializers().get("x_0"));
    }

    @Test
    void replaceAllUsesWithCoversNodesSubgraphsAndGraphOutputs() {
        GraphEditor editor = GraphEditor.of(graph).insertAfter(relu);
        Value r = relu.output(0);
        Value clipped = editor.addNode("Clip", Arrays.asList(x, null, null), 1, List.of()).output(0);
        editor.replaceAllUsesWith(r, clipped);
        assertFalse(r.isUsed());
        assertEquals(3, clipped.uses().size(), "Neg and both branches");

        graph.addOutput(clipped);
        Value y = graph.outputs().get(0);
        Value replacement = editor.addOp("Abs", x);
        editor.replaceAllUsesWith(clipped, replacement);
        assertSame(replacement, graph.outputs().get(2));
        assertSame(y, graph.outputs().get(0));
        model.validate();
        DefUseVerifier.verify(model);
    }

    @Test
    void replaceNodeHandsTheOutputNameToTheReplacement() {
        GraphEditor editor = GraphEditor.of(graph).insertBefore(neg);
        Value y = neg.output(0);
        Value replacement = editor.addOp("Sub", x, relu.output(0));
        editor.replaceNode(neg, List.of(replacement));
        assertEquals("y", replacement.name());
        assertSame(replacement, graph.outputs().get(0));
        assertEquals("y_replaced", y.name());
        assertEquals(List.of("Relu", "If", "Sub"), opOrder());
        editor.addOp("Exp", replacement);
        assertEquals(List.of("Relu", "If", "Sub", "Exp"), opOrder(), "the insertion point outlives its anchor");
        model.validate();
    }

    @Test
    void replaceNodeChecksTheCount() {
        IrException failure = assertThrows(IrException.class,
                () -> GraphEditor.of(graph).replaceNode(neg, List.of()));
        assertEquals("graph 'main': node 'Neg_0' (Neg) has 1 outputs, but 0 replacements were given",
                failure.getMessage());
    }

    @Test
    void removeNodesTakesAGroupReadersFirst() {
        GraphEditor editor = GraphEditor.of(graph);
        Value a = editor.addOp("Sqrt", x);
        Value b = editor.addOp("Exp", a);
        editor.removeNodes(List.of(a.producer(), b.producer()));
        assertEquals(List.of("Relu", "If", "Neg"), opOrder());

        IrException failure = assertThrows(IrException.class, () -> editor.removeNodes(List.of(relu)));
        assertTrue(failure.getMessage().startsWith("graph 'main': cannot remove output of node"), failure.getMessage());
    }

    @Test
    void anchorMustBeInTheEditedGraph() {
        Node abs = graph.nodes().get(1).subgraphs().get(0).nodes().get(0);
        IrException failure = assertThrows(IrException.class, () -> GraphEditor.of(graph).insertBefore(abs));
        assertEquals("node 'Abs_0' (Abs) is not in graph 'main'; it belongs to graph 'branch'", failure.getMessage());
    }

    @Test
    void promotesAnInitializerToAnInput() {
        GraphEditor editor = GraphEditor.of(graph);
        Value w = editor.addInitializer("w", Tensor.ofFloats("w", new long[] {3}, 1, 2, 3));
        Value sum = editor.addOp("Add", x, w);
        graph.addOutput(w);
        Value input = editor.promoteInitializerToInput("w");
        assertEquals("w", input.name());
        assertEquals(w.type(), input.type());
        assertSame(input, sum.producer().input(1));
        assertSame(input, graph.outputs().get(graph.outputs().size() - 1));
        assertFalse(graph.initializers().containsKey("w"));
        model.validate();

        IrException failure = assertThrows(IrException.class, () -> editor.promoteInitializerToInput("nope"));
        assertEquals("graph 'main' has no initializer 'nope' to promote to an input", failure.getMessage());
    }
}
