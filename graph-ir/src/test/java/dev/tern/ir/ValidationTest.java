package dev.tern.ir;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code validate()} finds each kind of problem and names the graph, node and value. */
class ValidationTest {
    private final Graph main = new Graph("main");
    private final Model model = new Model(main);
    private final Value x1 = new Value("x1");

    ValidationTest() {
        model.opsetImports().put("", 21L);
        main.addInput(x1);
    }

    private static Node node(String name, String op, List<Value> inputs, Value... outputs) {
        return node(name, "", op, inputs, outputs);
    }

    private static Node node(String name, String domain, String op, List<Value> inputs, Value... outputs) {
        Node node = new Node(domain, op, inputs, List.of(outputs), List.of());
        node.setName(name);
        return node;
    }

    private String failure() {
        return assertThrows(ValidationException.class, model::validate).getMessage();
    }

    @Test
    void aValidModelPasses() {
        Value y = new Value("y");
        main.appendNode(node("add1", "Add", List.of(x1, x1), y));
        main.addOutput(y);
        assertDoesNotThrow(model::validate);
    }

    @Test
    void danglingInput() {
        Value x2 = new Value("x2");
        main.appendNode(node("add1", "Add", List.of(x1, x2), new Value("y")));
        assertEquals("graph 'main': node 'add1' (Add) input 1 'x2' is not defined in scope", failure());
    }

    @Test
    void inputFromANodeOutsideTheModel() {
        Value x2 = new Value("x2");
        Node outside = node("outside", "Neg", List.of(x1), x2);
        main.appendNode(node("add1", "Add", List.of(x1, x2), new Value("y")));
        assertEquals("graph 'main': node 'add1' (Add) input 1 'x2' is not defined in scope "
                + "(its producer " + outside.describe() + " is not in the model)", failure());
    }

    @Test
    void valueUsedBeforeItIsProduced() {
        Value a = new Value("a");
        main.appendNode(node("second", "Relu", List.of(a), new Value("b")));
        main.appendNode(node("first", "Neg", List.of(x1), a));
        assertEquals("graph 'main': node 'second' (Relu) input 0 'a' is used before it is produced by node "
                + "'first' (Neg); Graph.sortTopologically() fixes the order", failure());
    }

    @Test
    void cycle() {
        Value a = new Value("a");
        Value b = new Value("b");
        main.appendNode(node("p", "Add", List.of(x1, b), a));
        main.appendNode(node("q", "Relu", List.of(a), b));
        assertEquals("graph 'main' has a cycle: 'p' (Add) -> 'q' (Relu) -> 'p' (Add)", failure());
    }

    @Test
    void valueNameDefinedTwice() {
        main.appendNode(node("n", "Neg", List.of(x1), new Value("x1")));
        assertEquals("graph 'main': value name 'x1' is defined twice: as input 0 and as output 0 of node 'n' (Neg)",
                failure());
    }

    @Test
    void sameValueListedTwiceAsInput() {
        main.addInput(x1);
        assertEquals("graph 'main': value 'x1' is defined twice: as input 0 and as input 1", failure());
    }

    @Test
    void inputWithAnInitializerDefaultIsOneDefinition() {
        Value w = Value.constant("w", Tensor.ofFloats("w", new long[] {1}, 1));
        main.addInput(w);
        main.addInitializer(w);
        main.addOutput(w);
        assertDoesNotThrow(model::validate);
    }

    @Test
    void subgraphMayNotRedefineAnOuterName() {
        Graph body = new Graph("body");
        Value shadow = new Value("x1");
        body.addInput(shadow);
        body.addOutput(shadow);
        Node loop = node("loop", "Loop", List.of(), new Value("out"));
        loop.setAttribute(Attribute.ofGraph("body", body));
        main.appendNode(loop);
        assertEquals("graph 'body': input 0 'x1' redefines input 0 of graph 'main'; "
                + "ONNX forbids a subgraph to redefine an outer name", failure());
    }

    @Test
    void duplicateNodeNames() {
        main.appendNode(node("n", "Neg", List.of(x1), new Value("a")));
        main.appendNode(node("n", "Abs", List.of(x1), new Value("b")));
        assertEquals("graph 'main': node name 'n' is used twice, by 'n' (Neg) and by 'n' (Abs)", failure());
    }

    @Test
    void domainWithoutOpsetImport() {
        main.appendNode(node("fused", "com.microsoft", "FusedGemm", List.of(x1), new Value("a")));
        assertEquals("graph 'main': node 'fused' (com.microsoft::FusedGemm) has domain 'com.microsoft', "
                + "which the model does not import (imports: [ai.onnx])", failure());
        model.opsetImports().put("com.microsoft", 1L);
        assertDoesNotThrow(model::validate);
    }

    @Test
    void aiOnnxAndTheEmptyDomainAreTheSame() {
        model.opsetImports().clear();
        model.opsetImports().put("ai.onnx", 21L);
        main.appendNode(node("n", "Neg", List.of(x1), new Value("a")));
        main.appendNode(node("m", "ai.onnx", "Abs", List.of(x1), new Value("b")));
        assertDoesNotThrow(model::validate);
    }

    @Test
    void functionBodiesAreCheckedAgainstTheFunctionsImports() {
        Graph body = new Graph("double");
        Value in = new Value("in");
        Value out = new Value("out");
        body.addInput(in);
        body.appendNode(node("twice", "Add", List.of(in, in), out));
        body.addOutput(out);
        Function function = new Function("local", "Double", body);
        model.functions().add(function);
        main.appendNode(node("call", "local", "Double", List.of(x1), new Value("y")));
        model.opsetImports().put("local", 1L);
        assertEquals("function 'local::Double': node 'twice' (Add) has domain '', which function 'local::Double' "
                + "does not import (imports: [])", failure());
        function.opsetImports().put("", 21L);
        assertDoesNotThrow(model::validate);
        model.opsetImports().remove("local");
        assertEquals("graph 'main': node 'call' (local::Double) has domain 'local', which the model does not import "
                + "(imports: [ai.onnx])", failure());
    }

    @Test
    void functionsMayNotShareAnId() {
        model.functions().add(new Function("local", "F", new Graph("a")));
        model.functions().add(new Function("local", "F", new Graph("b")));
        assertEquals("model defines function 'local::F' twice", failure());
    }

    @Test
    void subgraphMayNotReadASiblingSubgraphsValue() {
        Graph thenBranch = new Graph("then");
        Value thenValue = new Value("then_value");
        thenBranch.appendNode(node("t", "Neg", List.of(x1), thenValue));
        thenBranch.addOutput(thenValue);
        Graph elseBranch = new Graph("else");
        Value elseValue = new Value("else_value");
        elseBranch.appendNode(node("e", "Abs", List.of(thenValue), elseValue));
        elseBranch.addOutput(elseValue);
        Node ifNode = node("if", "If", List.of(x1), new Value("chosen"));
        ifNode.setAttribute(Attribute.ofGraph("then_branch", thenBranch));
        ifNode.setAttribute(Attribute.ofGraph("else_branch", elseBranch));
        main.appendNode(ifNode);
        assertEquals("graph 'else': node 'e' (Abs) input 0 'then_value' belongs to graph 'then', "
                + "which does not enclose this graph", failure());
    }

    @Test
    void subgraphMayNotReadAValueProducedLaterOutside() {
        Value late = new Value("late");
        Graph body = new Graph("then");
        Value negated = new Value("negated");
        body.appendNode(node("inner", "Neg", List.of(late), negated));
        body.addOutput(negated);
        Node ifNode = node("if", "If", List.of(x1), new Value("chosen"));
        ifNode.setAttribute(Attribute.ofGraph("then_branch", body));
        main.appendNode(ifNode);
        main.appendNode(node("producer", "Relu", List.of(x1), late));
        assertEquals("graph 'then': node 'inner' (Neg) input 0 'late' is produced by node 'producer' (Relu) "
                + "of enclosing graph 'main', after the node holding this subgraph", failure());
        main.sortTopologically();
        assertDoesNotThrow(model::validate);
    }

    @Test
    void graphOutputMustBeDefined() {
        main.addOutput(new Value("z"));
        assertEquals("graph 'main': output 0 'z' is not defined", failure());
    }

    @Test
    void useListsOutOfSyncAreReported() {
        Value y = new Value("y");
        Node neg = node("neg", "Neg", List.of(x1), y);
        main.appendNode(neg);
        main.addOutput(y);
        x1.addUse(neg, 3);
        assertEquals("value 'x1' lists a use by node 'neg' (Neg) input 3, but that input is empty", failure());
    }

    @Test
    void graphValidateOfASubgraphSeesOuterValues() {
        Graph body = new Graph("then");
        Value negated = new Value("negated");
        body.appendNode(node("inner", "Neg", List.of(x1), negated));
        body.addOutput(negated);
        Node ifNode = node("if", "If", List.of(x1), new Value("chosen"));
        ifNode.setAttribute(Attribute.ofGraph("then_branch", body));
        main.appendNode(ifNode);
        assertDoesNotThrow(body::validate);
        body.addOutput(new Value("missing"));
        ValidationException e = assertThrows(ValidationException.class, body::validate);
        assertEquals("graph 'then': output 1 'missing' is not defined", e.getMessage());
    }
}
