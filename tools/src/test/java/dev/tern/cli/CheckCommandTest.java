package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    @TempDir
    Path temp;

    /** y = Relu(x·w + b) with x [batch, 3], plus a com.example op inference has no rule for. */
    private Path dense() throws IOException {
        GraphBuilder g = GraphBuilder.create("dense").opset("com.example", 1);
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        Value w = g.initializer(Tensor.zeros("w", ElementType.FLOAT, 3, 4));
        Value b = g.initializer(Tensor.zeros("b", ElementType.FLOAT, 4));
        Value product = g.node("MatMul").name("mm").inputs(x, w).output("product");
        Value sum = g.node("Add").name("add").inputs(product, b).output("sum");
        Value y = g.node("Relu").name("act").inputs(sum).output("y");
        Value custom = g.node("Scale").name("scale").domain("com.example").inputs(y).output("scaled");
        g.output(y);
        g.output(custom);
        return TestModels.write(g.toModel(17), temp.resolve("dense.onnx"));
    }

    /** Relu of x [2, 3] whose output declares [2, 4]. */
    private Path contradicting() throws IOException {
        GraphBuilder g = GraphBuilder.create("wrong");
        Value y = g.node("Relu").name("act").inputs(g.input("x", ElementType.FLOAT, Dim.of(2), Dim.of(3))).output("y");
        g.output(y);
        Model model = g.toModel(17);
        y.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(2, 4)));
        return TestModels.write(model, temp.resolve("wrong.onnx"));
    }

    /** A node of a domain the model does not import: invalid. */
    private Path invalid() throws IOException {
        Graph graph = new Graph("invalid");
        Value x = new Value("x", ValueType.tensor(ElementType.FLOAT, Shape.of(2)));
        graph.addInput(x);
        Value y = new Value("y");
        graph.appendNode(new Node("com.missing", "Thing", List.of(x), List.of(y), List.of()));
        graph.addOutput(y);
        Model model = new Model(graph);
        model.opsetImports().put("", 17L);
        return TestModels.write(model, temp.resolve("invalid.onnx"));
    }

    @Test
    void textListsEveryValueWithItsTypeAndProducerThenWhatIsUnknown() throws IOException {
        CliRun run = CliRun.of("check", dense().toString());

        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertTrue(lines.contains("validation     ok"), run::toString);
        assertTrue(lines.contains("values         7"), run::toString);
        assertTrue(lines.contains(String.format("  %-32s %-28s %s", "x", "float[batch,3]", "input")), run::toString);
        assertTrue(lines.contains(String.format("  %-32s %-28s %s", "w", "float[3,4]", "initializer")), run::toString);
        assertTrue(lines.contains(String.format("  %-32s %-28s %s", "product", "float[batch,4]", "'mm' (MatMul)")),
                run::toString);
        assertTrue(lines.contains(String.format("  %-32s %-28s %s", "y", "float[batch,4]", "'act' (Relu)")), run::toString);
        assertEquals(List.of("unknown        1 (1 without a type, 0 with some unknown dim)",
                String.format("  %-32s %s", "scaled", "unknown type"), "no rule for    com.example::Scale (1 node)",
                "contradictions 0", "conflicts      0"), lines.subList(lines.size() - 5, lines.size()), run::toString);
    }

    @Test
    void jsonHasTheSameFacts() throws IOException {
        CliRun run = CliRun.of("check", "--json", dense().toString());

        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> json = (Map<?, ?>) MiniJson.parse(run.out());
        assertEquals(true, json.get("valid"));
        List<?> values = (List<?>) json.get("values");
        assertEquals(7, values.size());
        assertEquals(Map.of("name", "sum", "type", "float[batch,4]", "elementType", "float",
                "shape", List.of("batch", 4L), "origin", "'add' (Add)", "graph", "dense"), values.get(4));
        assertEquals(List.of("scaled"), json.get("unknown"));
        assertEquals(List.of("scaled"), json.get("untyped"));
        assertEquals(List.of(), json.get("withUnknownDims"));
        assertEquals(Map.of("com.example::Scale", 1L), json.get("opsWithoutRule"));
        assertEquals(List.of(), json.get("contradictions"));
    }

    @Test
    void aWeightStrippedModelZooCnnIsKnownThroughout() throws IOException {
        Path model = TestModels.write(LightCnn.build(Dim.of(32), Dim.of(32)), temp.resolve("light.onnx"));

        CliRun text = CliRun.of("check", model.toString());

        assertEquals(0, text.exitCode(), text::toString);
        List<String> lines = text.outLines();
        assertTrue(lines.contains("values         33"), text::toString);
        assertTrue(lines.contains(valueLine("conv2_w", "float[32,16,3,3]", "'conv2_w_fill' (ConstantOfShape)")),
                text::toString);
        assertTrue(lines.contains(valueLine("pool1_out", "float[N,16,16,16]", "'pool1' (MaxPool)")), text::toString);
        assertTrue(lines.contains(valueLine("flatten_target_out", "int64[2]", "'flatten_target' (Concat)")),
                text::toString);
        assertTrue(lines.contains(valueLine("flat", "float[N,32]", "'flatten' (Reshape)")), text::toString);
        assertTrue(lines.contains(valueLine("prob", "float[N,10]", "'prob' (Softmax)")), text::toString);
        assertEquals(List.of("unknown        0", "contradictions 0", "conflicts      0"),
                lines.subList(lines.size() - 3, lines.size()), text::toString);

        CliRun json = CliRun.of("check", "--json", model.toString());
        Map<?, ?> parsed = (Map<?, ?>) MiniJson.parse(json.out());
        assertEquals(33, ((List<?>) parsed.get("values")).size());
        assertEquals(List.of(), parsed.get("unknown"));
    }

    @Test
    void aValueWithAnUnknownDimensionCountsAsUnknown() throws IOException {
        // The image size is not declared: it is unknown until GlobalAveragePool makes it 1x1.
        Path model = TestModels.write(LightCnn.build(Dim.UNKNOWN, Dim.UNKNOWN), temp.resolve("any_size.onnx"));
        List<String> partlyKnown = List.of("data", "conv1_out", "bn1_out", "relu1_out", "pool1_out", "conv2_out",
                "relu2_out");

        CliRun text = CliRun.of("check", model.toString());

        assertEquals(0, text.exitCode(), text::toString);
        List<String> lines = text.outLines();
        int unknown = lines.indexOf("unknown        7 (0 without a type, 7 with some unknown dim)");
        assertTrue(unknown > 0, text::toString);
        assertEquals(String.format("  %-32s %s", "data", "float[N,3,?,?]"), lines.get(unknown + 1));
        assertEquals(String.format("  %-32s %s", "pool1_out", "float[N,16,?,?]"), lines.get(unknown + 5));
        assertEquals("contradictions 0", lines.get(unknown + 8), text::toString);
        assertTrue(lines.contains(valueLine("gap_out", "float[N,32,1,1]", "'gap' (GlobalAveragePool)")),
                text::toString);

        CliRun json = CliRun.of("check", "--json", model.toString());
        Map<?, ?> parsed = (Map<?, ?>) MiniJson.parse(json.out());
        assertEquals(partlyKnown, parsed.get("unknown"));
        assertEquals(List.of(), parsed.get("untyped"));
        assertEquals(partlyKnown, parsed.get("withUnknownDims"));
    }

    private static String valueLine(String name, String type, String origin) {
        return String.format("  %-32s %-28s %s", name, type, origin);
    }

    @Test
    void aContradictionIsReportedAndExitsOne() throws IOException {
        Path model = contradicting();

        CliRun text = CliRun.of("check", model.toString());
        assertEquals(1, text.exitCode(), text::toString);
        assertTrue(text.outLines().contains("contradictions 1"), text::toString);
        assertTrue(text.outLines().contains(
                "  node 'act' (Relu): value 'y' is declared tensor(float)[2,4] but inferred tensor(float)[2,3]"),
                text::toString);

        CliRun json = CliRun.of("check", "--json", model.toString());
        assertEquals(1, json.exitCode(), json::toString);
        List<?> contradictions = (List<?>) ((Map<?, ?>) MiniJson.parse(json.out())).get("contradictions");
        Map<?, ?> contradiction = (Map<?, ?>) contradictions.get(0);
        assertEquals("act", contradiction.get("node"));
        assertEquals("Relu", contradiction.get("op"));
        assertEquals("y", contradiction.get("value"));
        assertEquals("float[2,4]", contradiction.get("declared"));
        assertEquals("float[2,3]", contradiction.get("inferred"));
    }

    @Test
    void anInvalidModelExitsOneWithTheReason() throws IOException {
        Path model = invalid();

        CliRun text = CliRun.of("check", model.toString());
        assertEquals(1, text.exitCode(), text::toString);
        assertTrue(text.outLines().stream().anyMatch(line -> line.startsWith("validation     FAILED: ")
                && line.contains("com.missing")), text::toString);

        CliRun json = CliRun.of("check", "--json", model.toString());
        assertEquals(1, json.exitCode(), json::toString);
        Map<?, ?> parsed = (Map<?, ?>) MiniJson.parse(json.out());
        assertEquals(false, parsed.get("valid"));
        assertTrue(((String) parsed.get("validationError")).contains("com.missing"), json::toString);
    }

    @Test
    void aMissingFileIsBadUsage() {
        CliRun run = CliRun.of("check", temp.resolve("absent.onnx").toString());
        assertEquals(2, run.exitCode(), run::toString);
    }
}
