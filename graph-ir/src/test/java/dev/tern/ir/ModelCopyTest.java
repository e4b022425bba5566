package dev.tern.ir;

import dev.tern.ir.internal.DefUseVerifier;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Model#copy()} makes new graphs, nodes and values, keeps everything else, and shares tensors. */
class ModelCopyTest {
    /** x -> If(cond){ Mul(x, scale) } else { Neg(x) } -> y, with annotations, a function and a training step. */
    private static Model annotatedModelWithSubgraph() {
        GraphBuilder g = GraphBuilder.create("main");
        Value cond = g.input("cond", ElementType.BOOL);
        Value x = g.input("x", ElementType.FLOAT, Dim.of(4));
        Value scale = g.initializer(Tensor.ofFloats("scale", new long[0], 2));
        GraphBuilder thenBranch = g.subgraph("then");
        thenBranch.output(thenBranch.op("Mul", x, scale));
        GraphBuilder elseBranch = g.subgraph("else");
        elseBranch.output(elseBranch.op("Neg", x));
        Value y = g.node("If").inputs(cond)
                .attr(Attribute.ofGraph("then_branch", thenBranch.build()))
                .attr(Attribute.ofGraph("else_branch", elseBranch.build()))
                .output();
        g.output(y, "y");
        Model model = g.toModel(21);
        model.metadataProps().put("author", "tests");
        model.setOpaqueFields(OpaqueFields.of(new byte[] {8, 1}));
        model.graph().quantizationAnnotations().put("scale", QuantizationAnnotation.linear("s", "z"));
        x.setDocString("the input");
        x.metadataProps().put("k", "v");

        Graph body = new Graph("Twice");
        Value a = new Value("A");
        body.addInput(a);
        Value twice = new Value("twice");
        body.appendNode(new Node("", "Add", List.of(a, a), List.of(twice), List.of()));
        body.addOutput(twice);
        Function function = new Function("local", "Twice", body);
        function.opsetImports().put("", 21L);
        model.functions().add(function);

        Graph algorithm = new Graph("step");
        Value readOfScale = new Value("scale");
        Value newScale = new Value("new_scale");
        algorithm.appendNode(new Node("", "Neg", List.of(readOfScale), List.of(newScale), List.of()));
        algorithm.addOutput(newScale);
        TrainingInfo training = new TrainingInfo();
        training.setAlgorithm(algorithm);
        training.updateBindings().put("scale", "new_scale");
        model.trainingInfo().add(training);
        return model;
    }

    @Test
    void copyHasNewObjectsAndTheSameContent() {
        Model model = annotatedModelWithSubgraph();
        Model copy = model.copy();

        assertNotSame(model.graph(), copy.graph());
        assertEquals(model.toString(), copy.toString());
        assertEquals(model.metadataProps(), copy.metadataProps());
        assertEquals(model.opaqueFields(), copy.opaqueFields());
        assertEquals(model.graph().quantizationAnnotations(), copy.graph().quantizationAnnotations());
        Value x = copy.graph().inputs().get(1);
        assertNotSame(model.graph().inputs().get(1), x);
        assertEquals("the input", x.docString());
        assertEquals("v", x.metadataProps().get("k"));
        assertSame(model.graph().initializers().get("scale").initializer(),
                copy.graph().initializers().get("scale").initializer(), "tensors are shared");
        assertEquals(List.of("cond", "x", "scale", "If_0", "y"), names(copy.graph()));

        Graph thenCopy = copy.graph().nodes().get(0).attribute("then_branch").orElseThrow().asGraph();
        Node mul = thenCopy.nodes().get(0);
        assertSame(x, mul.input(0), "the subgraph reads the copy's outer value, not the original's");
        assertSame(copy.graph().initializers().get("scale"), mul.input(1));
        assertEquals(2, x.uses().size(), "Mul in one branch, Neg in the other");

        Function function = copy.functions().get(0);
        assertNotSame(model.functions().get(0), function);
        assertEquals(model.functions().get(0).opsetImports(), function.opsetImports());
        TrainingInfo training = copy.trainingInfo().get(0);
        assertNotSame(model.trainingInfo().get(0).algorithm(), training.algorithm());
        assertEquals(model.trainingInfo().get(0).updateBindings(), training.updateBindings());

        copy.validate();
        DefUseVerifier.verify(copy);
    }

    @Test
    void editingTheCopyLeavesTheOriginalAlone() {
        Model model = annotatedModelWithSubgraph();
        Model copy = model.copy();
        Graph graph = copy.graph();
        Value y = graph.outputs().get(0);
        Node ifNode = graph.nodes().get(0);
        graph.removeOutput(0);
        graph.removeNode(ifNode);
        graph.inputs().get(1).rename("renamed");
        copy.functions().get(0).body().nodes().get(0).setName("edited");
        copy.metadataProps().clear();

        assertEquals(1, model.graph().nodeCount());
        assertEquals("x", model.graph().inputs().get(1).name());
        assertEquals("", model.functions().get(0).body().nodes().get(0).name());
        assertEquals("tests", model.metadataProps().get("author"));
        assertEquals(List.of(new Value.Use(model.graph().nodes().get(0).subgraphs().get(0).nodes().get(0), 0),
                new Value.Use(model.graph().nodes().get(0).subgraphs().get(1).nodes().get(0), 0)),
                model.graph().inputs().get(1).uses());
        assertFalse(y.isUsed());
        DefUseVerifier.verify(model);
    }

    @Test
    void copyIsModifiedExactlyWhenTheOriginalIs() {
        Model model = annotatedModelWithSubgraph();
        assertTrue(model.copy().isModified());
        model.clearModified();
        Model copy = model.copy();
        assertFalse(copy.isModified());
        copy.graph().nodes().get(0).setName("changed");
        assertTrue(copy.isModified());
        assertFalse(model.isModified());
    }

    private static List<String> names(Graph graph) {
        List<String> names = new java.util.ArrayList<>();
        graph.inputs().forEach(value -> names.add(value.name()));
        names.addAll(graph.initializers().keySet());
        graph.nodes().forEach(node -> names.add(node.name()));
        graph.outputs().forEach(value -> names.add(value.name()));
        return names;
    }
}
