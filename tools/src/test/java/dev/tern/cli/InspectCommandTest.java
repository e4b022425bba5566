package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    @TempDir
    Path temp;

    @Test
    void textReportShowsEverythingAboutTheModel() throws IOException {
        Path model = TestModels.writeSmall(temp.resolve("small.onnx"));

        CliRun run = CliRun.of("inspect", model.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.err());
        List<String> lines = run.outLines();
        assertTrue(lines.contains("ir version       10"), run::toString);
        assertTrue(lines.contains("opsets           ai.onnx 17, com.example 1"), run::toString);
        assertTrue(lines.contains("producer         tern " + OnnxExporter.producerVersion()),
                "a model built in code is written as Tern's: " + run);
        assertTrue(lines.contains("domain           dev.tern.tests"), run::toString);
        assertTrue(lines.contains("model version    3"), run::toString);
        assertTrue(lines.contains("doc              A small model for CLI tests."), run::toString);
        assertTrue(lines.contains("graph            small"), run::toString);
        assertTrue(lines.contains("nodes            8 (including subgraphs)"), run::toString);
        assertTrue(lines.contains("parameters       16 (64 B)"), run::toString);
        assertTrue(lines.contains("external data    none"), run::toString);
        assertEquals(List.of(
                "inputs",
                "  x                              float[batch,3]",
                "  flag                           bool[]",
                "outputs",
                "  out                            float[batch,?]",
                "nodes            8 (including subgraphs)",
                "  Relu                           2",
                "  Add                            1",
                "  Identity                       1",
                "  If                             1",
                "  MatMul                         1",
                "  Neg                            1",
                "  com.example::Scale             1"),
                lines.subList(lines.indexOf("inputs"), lines.indexOf("inputs") + 13));
        assertTrue(lines.contains("  com.example::Scale             1 nodes"), run::toString);
    }

    @Test
    void jsonReportIsOneObjectWithTheSameFacts() throws IOException {
        Path model = TestModels.writeSmall(temp.resolve("small.onnx"));

        CliRun run = CliRun.of("inspect", "--json", model.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(1, run.outLines().size(), "one line of JSON");
        Map<?, ?> json = (Map<?, ?>) MiniJson.parse(run.out());
        assertEquals(model.toString(), json.get("file"));
        assertEquals(10L, json.get("irVersion"));
        assertEquals(Map.of("", 17L, "com.example", 1L), json.get("opsetImports"));
        assertEquals("tern", json.get("producerName"));
        assertEquals(OnnxExporter.producerVersion(), json.get("producerVersion"));
        assertEquals("dev.tern.tests", json.get("domain"));
        assertEquals(3L, json.get("modelVersion"));
        assertEquals("A small model for CLI tests.", json.get("docString"));
        assertEquals("small", json.get("graphName"));
        assertEquals(List.of(
                Map.of("name", "x", "type", "float[batch,3]", "elementType", "float", "shape", List.of("batch", 3L)),
                Map.of("name", "flag", "type", "bool[]", "elementType", "bool", "shape", List.of())),
                json.get("inputs"));
        assertEquals(List.of(
                Map.of("name", "out", "type", "float[batch,?]", "elementType", "float", "shape", List.of("batch", "?"))),
                json.get("outputs"));
        assertEquals((long) TestModels.SMALL_NODE_COUNT, json.get("nodeCount"));
        List<?> opTypes = (List<?>) json.get("opTypes");
        assertEquals(Map.of("op", "Relu", "count", 2L), opTypes.get(0));
        assertTrue(opTypes.contains(Map.of("op", "com.example::Scale", "count", 1L)), opTypes::toString);
        assertEquals(7, opTypes.size());
        assertEquals(TestModels.SMALL_PARAMETER_COUNT, json.get("parameterCount"));
        assertEquals(TestModels.SMALL_PARAMETER_COUNT * 4, json.get("parameterBytes"));
        assertEquals(List.of(Map.of("name", "com.example::Scale", "nodeCount", 1L)), json.get("functions"));
        assertEquals(Map.of("author", "Tern \"tests\"\\ \u00e9\t\u2603"), json.get("metadata"));
        assertEquals(List.of(), json.get("externalDataFiles"));
    }

    @Test
    void reportsTheBundledMiniLm() {
        Path model = TestModels.minilmFp32();

        CliRun run = CliRun.of("inspect", "--json", model.toString());

        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> json = (Map<?, ?>) MiniJson.parse(run.out());
        List<?> inputs = (List<?>) json.get("inputs");
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"),
                inputs.stream().map(input -> ((Map<?, ?>) input).get("name")).toList());
        for (Object input : inputs) {
            assertEquals("int64", ((Map<?, ?>) input).get("elementType"));
            List<?> shape = (List<?>) ((Map<?, ?>) input).get("shape");
            assertEquals(2, shape.size(), "batch and sequence: " + shape);
        }
        // MiniLM-L6: 22.7 million fp32 parameters.
        long parameters = (Long) json.get("parameterCount");
        assertTrue(parameters > 22_000_000 && parameters < 23_500_000, "parameters: " + parameters);
        // Mostly fp32 weights, plus a few int64 shape constants.
        long bytes = (Long) json.get("parameterBytes");
        assertTrue(bytes >= parameters * 4 && bytes < parameters * 4 + 64 * 1024, "bytes: " + bytes);
        List<?> opTypes = (List<?>) json.get("opTypes");
        assertTrue(opTypes.stream().anyMatch(op -> ((Map<?, ?>) op).get("op").equals("MatMul")), opTypes::toString);
        long total = opTypes.stream().mapToLong(op -> (Long) ((Map<?, ?>) op).get("count")).sum();
        assertEquals(json.get("nodeCount"), total, "the histogram counts every node");
    }

    @Test
    void textReportOfMiniLmNamesItsInputs() {
        CliRun run = CliRun.of("inspect", TestModels.minilmFp32().toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.outLines().stream().anyMatch(line -> line.matches("  input_ids +int64\\[\\w+,\\w+]")),
                run::toString);
    }

    @Test
    void showsTheExactZerosOfEachWeight() throws IOException {
        GraphBuilder g = GraphBuilder.create("sparse");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(1), Dim.of(2));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {2, 2}, 1, 0, -0f, 3));
        Value b = g.initializer(Tensor.ofFloats("b", new long[] {2}, 0, 0));
        g.output(g.op("Add", g.op("MatMul", x, w), b), "y");
        Path model = TestModels.write(g.toModel(17), temp.resolve("sparse.onnx"));

        CliRun text = CliRun.of("inspect", model.toString());
        CliRun json = CliRun.of("inspect", "--json", model.toString());

        List<String> lines = text.outLines();
        int zeros = lines.indexOf("weight zeros     66.7% (4 of 6)");
        assertTrue(zeros > 0, text::toString);
        assertEquals(List.of(
                "  w                              50.0% (2 of 4)",
                "  b                              100.0% (2 of 2)"), lines.subList(zeros + 1, zeros + 3));
        assertEquals(List.of(
                Map.of("name", "w", "zeros", 2L, "count", 4L, "fraction", 0.5),
                Map.of("name", "b", "zeros", 2L, "count", 2L, "fraction", 1.0)),
                ((Map<?, ?>) MiniJson.parse(json.out())).get("weightSparsity"));
    }
}
