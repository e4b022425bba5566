package dev.tern.ir;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model knows whether it changed since it was marked unmodified, whichever object in it
 * changed and however: setters, edit methods, or the collections the IR hands out.
 */
class ModificationTrackingTest {
    private Model model;

    /**
     * x -> Relu -> If(then: Neg(relu), else: Identity(relu)) -> y, an initializer, an unused
     * input and an unused node output, a function with an attribute default, and a training
     * info, all marked unmodified.
     */
    @BeforeEach
    void buildUnmodifiedModel() {
        model = build();
        model.clearModified();
    }

    private static Model build() {
        Graph graph = new Graph("main");
        Value x = new Value("x", ValueType.tensor(ElementType.FLOAT, 2));
        graph.addInput(x);
        graph.addInitializer(Tensor.ofFloats("w", new long[] {2}, 1, 2));
        Value relu = new Value("relu");
        graph.appendNode(new Node("", "Relu", List.of(x), List.of(relu), List.of()));
        Graph thenBranch = branch("then", "Neg", relu);
        Graph elseBranch = branch("else", "Identity", relu);
        Value y = new Value("y");
        Value flag = new Value("flag", ValueType.tensor(ElementType.BOOL));
        graph.addInput(flag);
        graph.appendNode(new Node("", "If", List.of(flag), List.of(y), List.of(
                Attribute.ofGraph("then_branch", thenBranch), Attribute.ofGraph("else_branch", elseBranch))));
        graph.addOutput(y);
        graph.addInput(new Value("spare"));
        graph.appendNode(new Node("", "Identity", List.of(x), List.of(new Value("unused")), List.of()));
        Model built = new Model(graph);
        built.opsetImports().put("", 21L);

        Value parameter = new Value("a");
        Graph body = branch("body", "Relu", parameter);
        body.addInput(parameter);
        Function function = new Function("local", "F", body);
        function.opsetImports().put("", 21L);
        function.attributeDefaults().add(Attribute.ofGraph("g", branch("default", "Neg", new Value("b"))));
        built.functions().add(function);

        TrainingInfo training = new TrainingInfo();
        training.setAlgorithm(branch("step", "Neg", new Value("w")));
        training.updateBindings().put("w", "step_out");
        built.trainingInfo().add(training);
        return built;
    }

    /** A graph computing {@code op(read)} into one output named after the graph. */
    private static Graph branch(String name, String op, Value read) {
        Graph graph = new Graph(name);
        Value out = new Value(name + "_out");
        graph.appendNode(new Node("", op, List.of(read), List.of(out), List.of()));
        graph.addOutput(out);
        return graph;
    }

    private Graph main() {
        return model.graph();
    }

    private Node relu() {
        return main().nodes().get(0);
    }

    private Graph thenBranch() {
        return main().nodes().get(1).attribute("then_branch").orElseThrow().asGraph();
    }

    @Test
    void aModelBuiltInCodeIsModified() {
        assertTrue(build().isModified());
    }

    @Test
    void clearingMarksEverythingUnmodified() {
        assertFalse(model.isModified());
    }

    @Test
    void namingTheProducerIsNotAModification() {
        model.setProducerName("someone");
        model.setProducerVersion("1");
        assertFalse(model.isModified());
    }

    @Test
    void reReadingTheModelIsNotAModification() {
        main().nodes();
        main().allNodes();
        model.validate();
        relu().metadataProps().get("missing");
        assertFalse(model.isModified());
    }

    @Test
    void sortingAnOrderedGraphIsNotAModification() {
        main().sortTopologically();
        assertFalse(model.isModified());
    }

    @Test
    void sortingThatMovesANodeIsAModification() {
        Node relu = relu();
        Node neg = new Node("", "Neg", List.of(relu.output(0)), List.of(new Value("early")), List.of());
        main().insertBefore(relu, neg);
        model.clearModified();
        main().sortTopologically();
        assertTrue(model.isModified());
    }

    static Stream<Arguments> edits() {
        return Stream.of(
                edit("model ir version", m -> m.setIrVersion(9)),
                edit("model doc string", m -> m.setDocString("d")),
                edit("model domain", m -> m.setDomain("d")),
                edit("model version", m -> m.setModelVersion(2)),
                edit("model opset", m -> m.opsetImports().put("x", 1L)),
                edit("model metadata", m -> m.metadataProps().put("k", "v")),
                edit("model opaque fields", m -> m.setOpaqueFields(OpaqueFields.of(new byte[] {8, 1}))),
                edit("model functions", m -> m.functions().clear()),
                edit("model training info", m -> m.trainingInfo().remove(0)),
                edit("model graph", m -> m.setGraph(new Graph("other"))),
                edit("graph name", m -> m.graph().setName("n")),
                edit("graph doc string", m -> m.graph().setDocString("d")),
                edit("graph metadata", m -> m.graph().metadataProps().put("k", "v")),
                edit("graph annotation", m -> m.graph().quantizationAnnotations()
                        .put("w", QuantizationAnnotation.linear("s", "z"))),
                edit("graph input added", m -> m.graph().addInput(new Value("extra"))),
                edit("graph input removed", m -> m.graph().removeInput(m.graph().inputs().get(2))),
                edit("graph output added", m -> m.graph().addOutput(m.graph().inputs().get(0))),
                edit("graph output removed", m -> m.graph().removeOutput(0)),
                edit("graph output replaced", m -> m.graph().setOutput(0, m.graph().inputs().get(0))),
                edit("initializer added", m -> m.graph().addInitializer(Tensor.ofFloats("v", new long[] {}, 1))),
                edit("initializer removed", m -> m.graph().removeInitializer("w")),
                edit("node removed", m -> m.graph().removeNode(m.graph().nodes().get(2))),
                edit("node name", m -> m.graph().nodes().get(0).setName("n")),
                edit("node doc string", m -> m.graph().nodes().get(0).setDocString("d")),
                edit("node overload", m -> m.graph().nodes().get(0).setOverload("o")),
                edit("node metadata", m -> m.graph().nodes().get(0).metadataProps().put("k", "v")),
                edit("node opaque fields", m -> m.graph().nodes().get(0)
                        .setOpaqueFields(OpaqueFields.of(new byte[] {8, 1}))),
                edit("node input", m -> m.graph().nodes().get(0).setInput(0, m.graph().inputs().get(1))),
                edit("node input appended", m -> m.graph().nodes().get(0).appendInput(null)),
                edit("node attribute", m -> m.graph().nodes().get(0).setAttribute(Attribute.ofInt("i", 1))),
                edit("node attribute removed", m -> m.graph().nodes().get(1).removeAttribute("else_branch")),
                edit("value rename", m -> m.graph().inputs().get(0).rename("z")),
                edit("value type", m -> m.graph().nodes().get(0).output(0)
                        .setType(ValueType.tensor(ElementType.FLOAT))),
                edit("value doc string", m -> m.graph().outputs().get(0).setDocString("d")),
                edit("value metadata", m -> m.graph().inputs().get(0).metadataProps().put("k", "v")),
                edit("value opaque fields", m -> m.graph().inputs().get(0)
                        .setOpaqueFields(OpaqueFields.of(new byte[] {8, 1}))),
                edit("weights", m -> m.graph().initializers().get("w")
                        .setInitializer(Tensor.ofFloats("w", new long[] {2}, 0, 0))),
                edit("subgraph node", m -> m.graph().nodes().get(1).attribute("then_branch").orElseThrow().asGraph()
                        .nodes().get(0).setName("deep")),
                edit("subgraph value", m -> m.graph().nodes().get(1).attribute("else_branch").orElseThrow().asGraph()
                        .outputs().get(0).setDocString("deep")),
                edit("function doc string", m -> m.functions().get(0).setDocString("d")),
                edit("function attribute names", m -> m.functions().get(0).attributeNames().add("alpha")),
                edit("function opsets", m -> m.functions().get(0).opsetImports().put("", 21L)),
                edit("function body", m -> m.functions().get(0).body().nodes().get(0).setName("n")),
                edit("function attribute default graph", m -> m.functions().get(0).attributeDefaults().get(0)
                        .asGraph().setName("n")),
                edit("training bindings", m -> m.trainingInfo().get(0).initializationBindings().put("w", "init")),
                edit("training algorithm", m -> m.trainingInfo().get(0).setAlgorithm(null)),
                edit("training graph node", m -> m.trainingInfo().get(0).algorithm().nodes().get(0).setName("n")),
                edit("value only a training graph reads", m -> m.trainingInfo().get(0).algorithm().nodes().get(0)
                        .input(0).rename("v")));
    }

    private static Arguments edit(String name, Consumer<Model> change) {
        return Arguments.of(name, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void everyEditIsAModification(String name, Consumer<Model> change) {
        change.accept(model);
        assertTrue(model.isModified(), name);
        model.clearModified();
        assertFalse(model.isModified(), name + ", cleared again");
    }

    @Test
    void collectionsReportChangesMadeThroughTheirViews() {
        Map<String, String> metadata = relu().metadataProps();
        metadata.put("a", "1");
        metadata.put("b", "2");
        model.clearModified();

        metadata.entrySet().iterator().next().setValue("changed");
        assertTrue(model.isModified(), "entry setValue");
        model.clearModified();

        Iterator<String> keys = metadata.keySet().iterator();
        keys.next();
        keys.remove();
        assertTrue(model.isModified(), "removal through the key set");
        model.clearModified();

        metadata.values().removeIf("2"::equals);
        assertTrue(model.isModified(), "removeIf on the values");
        assertEquals(Map.of(), metadata);
        model.clearModified();

        metadata.remove("absent");
        metadata.clear();
        assertFalse(model.isModified(), "nothing was there to remove");
    }

    @Test
    void collectionsKeepInsertionOrderAndRefuseNulls() {
        Map<String, String> metadata = thenBranch().metadataProps();
        metadata.put("z", "1");
        metadata.put("a", "2");
        metadata.put("m", "3");
        assertEquals(List.of("z", "a", "m"), List.copyOf(metadata.keySet()));
        NullPointerException e = assertThrows(NullPointerException.class, () -> metadata.put("k", null));
        assertTrue(e.getMessage().contains("'k'"), e.getMessage());
        assertThrows(NullPointerException.class, () -> model.functions().add(null));
    }
}
