package dev.tern;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.ExportOptions;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's Java examples, run as written on the real all-MiniLM-L6-v2. */
class ReadmeExampleTest {

    @Test
    void loadInspectEditWrite(@TempDir Path dir) throws IOException {
        Path modelFile = copyMiniLm(dir);
        Path edited = dir.resolve("edited.onnx");

        // --- README example, with paths from this test
        Model model = OnnxImporter.read(modelFile);
        Graph graph = model.graph();
        for (Value input : graph.inputs()) {
            System.out.println(input.name() + ": " + input.type());
        }
        for (Node node : graph.nodes()) {
            if (node.opType().equals("Erf")) {
                System.out.println(node.describe() + " reads " + node.input(0).name());
            }
        }
        model.metadataProps().put("edited-by", "tern");
        model.validate();
        OnnxExporter.write(model, edited, ExportOptions.builder().externalData(true).build());
        // --- end of the example

        assertEquals("tensor(int64)[batch_size,sequence_length]", graph.inputs().get(0).type().toString());
        assertTrue(Files.size(dir.resolve("edited.onnx.data")) > 80_000_000, "weights were written externally");
        Model reread = OnnxImporter.read(edited);
        assertEquals(graph.nodeCount(), reread.graph().nodeCount());
        assertEquals("tern", reread.metadataProps().get("edited-by"));
        assertEquals(graph.initializers().keySet(), reread.graph().initializers().keySet());
        for (Value init : graph.initializers().values()) {
            assertTrue(init.initializer().contentEquals(reread.graph().initializers().get(init.name()).initializer()),
                    "initializer " + init.name() + " survives");
        }
    }

    @Test
    void runTheEncoder(@TempDir Path dir) throws IOException {
        Path modelFile = copyMiniLm(dir);

        // --- README example, with the path from this test
        try (Runtime runtime = Runtime.create();
             CompiledModel encoder = runtime.compile(OnnxImporter.read(modelFile))) {
            long[] shape = {1, 4};
            Map<String, Tensor> outputs = encoder.run(Map.of(
                    "input_ids", Tensor.ofLongs("input_ids", shape, 101, 7592, 2088, 102),
                    "attention_mask", Tensor.ofLongs("attention_mask", shape, 1, 1, 1, 1),
                    "token_type_ids", Tensor.ofLongs("token_type_ids", shape, 0, 0, 0, 0)));
            Tensor hidden = outputs.get("last_hidden_state");
            // --- end of the example

            assertArrayEquals(new long[] {1, 4, 384}, hidden.dims());
            for (float value : hidden.toFloatArray()) {
                assertTrue(Float.isFinite(value) && Math.abs(value) < 100, "hidden state value " + value);
            }
        }
    }

    @Test
    void buildAGraphInCode() {
        // --- README example
        GraphBuilder g = GraphBuilder.create("mlp");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(4));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {4, 3}, new float[12]));
        Value h = g.op("MatMul", x, w);
        Value y = g.node("LeakyRelu").inputs(h).attr("alpha", 0.1f).output();
        g.output(y, "y");
        Model mlp = g.toModel(21);
        // --- end of the example

        Model reread = OnnxImporter.read(OnnxExporter.toBytes(mlp));
        assertEquals(2, reread.graph().nodeCount());
        assertEquals("y", reread.graph().outputs().get(0).name());
        assertEquals(0.1f, reread.graph().nodes().get(1).attribute("alpha").orElseThrow().asFloat());
    }

    private static Path copyMiniLm(Path dir) throws IOException {
        Path modelFile = dir.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = ReadmeExampleTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            assertNotNull(in, "all-minilm-l6-v2.onnx is not on the test classpath");
            Files.copy(in, modelFile);
        }
        return modelFile;
    }
}
