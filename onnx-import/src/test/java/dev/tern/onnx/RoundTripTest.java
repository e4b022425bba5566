package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Attribute;
import dev.tern.ir.AttributeType;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Function;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
    @TempDir
    Path dir;

    /** Exports, imports and exports again; the two exports must be byte-identical. Returns the re-imported model. */
    static Model roundTrip(Model model) {
        byte[] first = OnnxExporter.toBytes(model);
        Model imported = OnnxImporter.read(first.clone());
        byte[] second = OnnxExporter.toBytes(imported);
        assertArrayEquals(first, second, "second export differs from the first");
        return imported;
    }

    @Test
    void linearModelKeepsEverything() {
        Model model = roundTrip(Models.linear());
        assertEquals(Model.LATEST_IR_VERSION, model.irVersion());
        assertEquals(21L, model.opsetImports().get(""));
        assertEquals(1L, model.opsetImports().get("com.microsoft"));
        assertEquals(OnnxExporter.PRODUCER_NAME, model.producerName(), "a model built in code is Tern's");
        assertEquals(OnnxExporter.producerVersion(), model.producerVersion());
        assertEquals("dev.tern", model.domain());
        assertEquals(7, model.modelVersion());
        assertEquals("model doc", model.docString());
        assertEquals("tests", model.metadataProps().get("author"));
        Graph graph = model.graph();
        assertEquals("main", graph.name());
        assertEquals("a linear layer", graph.docString());
        assertEquals("g", graph.metadataProps().get("graph.key"));
        Value x = graph.inputs().get(0);
        assertEquals(Models.floats("batch", 3), x.type());
        assertEquals("input rows", x.docString());
        assertEquals("v", x.metadataProps().get("value.key"));
        Node matMul = graph.nodes().get(0);
        assertEquals("matmul", matMul.name());
        assertEquals("multiplies", matMul.docString());
        assertEquals("n", matMul.metadataProps().get("node.key"));
        assertSame(x, matMul.input(0));
        assertSame(graph.initializers().get("W"), matMul.input(1));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, graph.initializers().get("W").initializer().toFloatArray());
        Value product = matMul.output(0);
        assertEquals(Models.floats("batch", 2), product.type(), "value_info carries intermediate types");
        assertSame(product, graph.nodes().get(1).input(0));
        assertSame(graph.nodes().get(1).output(0), graph.outputs().get(0));
    }

    @Test
    void everyElementTypeSurvives() {
        Model original = Models.everyElementType();
        Model model = roundTrip(original);
        for (Value value : original.graph().initializers().values()) {
            Tensor expected = value.initializer();
            Tensor actual = model.graph().initializers().get(value.name()).initializer();
            assertTrue(expected.contentEquals(actual), "tensor " + value.name());
        }
        assertEquals(List.of("a", "", "π"), List.of(
                model.graph().initializers().get("t_string").initializer().stringsUtf8().get(0),
                model.graph().initializers().get("t_string").initializer().stringsUtf8().get(1),
                model.graph().initializers().get("t_string").initializer().stringsUtf8().get(3)));
        assertEquals(8, model.graph().initializers().get("t_int4").initializer().byteSize(), "15 int4 pack into 8 bytes");
        assertEquals(4, model.graph().initializers().get("t_int2").initializer().byteSize(), "15 int2 pack into 4 bytes");
        assertEquals(15 * 16, model.graph().initializers().get("t_complex128").initializer().byteSize());
    }

    @Test
    void everyAttributeTypeSurvives() {
        Model model = roundTrip(Models.everyAttributeType());
        Node node = model.graph().nodes().get(0);
        assertEquals("custom.domain", node.domain());
        assertEquals(15, node.attributes().size());
        for (AttributeType type : AttributeType.values()) {
            assertTrue(node.attributes().values().stream().anyMatch(a -> a.type() == type), "has " + type);
        }
        assertEquals(1.5f, node.attribute("f").orElseThrow().asFloat());
        assertEquals(-42, node.attribute("i").orElseThrow().asInt());
        assertEquals("héllo", node.attribute("s").orElseThrow().asString());
        assertArrayEquals(new long[] {7, 8}, node.attribute("t").orElseThrow().asTensor().toLongArray());
        assertArrayEquals(new long[] {1, Long.MIN_VALUE, Long.MAX_VALUE}, node.attribute("is").orElseThrow().asInts());
        assertTrue(Float.isNaN(node.attribute("fs").orElseThrow().asFloats()[2]));
        assertEquals(List.of("a", "", "c"), node.attribute("ss").orElseThrow().asStrings());
        assertEquals(new ValueType.SequenceType(Models.floats("n")), node.attribute("tp").orElseThrow().asType());
        assertEquals(3, node.attribute("tps").orElseThrow().asTypes().size());
        assertEquals(Models.sparse("sp"), node.attribute("st").orElseThrow().asSparseTensor());
        assertEquals("an attribute doc", node.attribute("documented").orElseThrow().docString());
        Graph branch = node.attribute("g").orElseThrow().asGraph();
        assertSame(node, branch.parentNode());
        assertSame(model.graph().inputs().get(0), branch.nodes().get(0).input(0), "outer value resolved to the same object");
        Graph second = node.attribute("gs").orElseThrow().asGraphs().get(0);
        assertSame(model.graph().inputs().get(0), second.outputs().get(0));
    }

    @Test
    void subgraphsResolveOuterValuesToTheSameObjects() {
        Model model = roundTrip(Models.withSubgraphs());
        Graph graph = model.graph();
        Node ifNode = graph.nodes().get(0);
        Node loop = graph.nodes().get(1);
        Value x = graph.inputs().get(1);
        Value scale = graph.initializers().get("scale");
        Node mul = ifNode.attribute("then_branch").orElseThrow().asGraph().nodes().get(0);
        assertSame(x, mul.input(0));
        assertSame(scale, mul.input(1));
        assertNull(loop.input(1), "empty name is an omitted input");
        Graph body = loop.attribute("body").orElseThrow().asGraph();
        assertSame(ifNode.output(0), body.nodes().get(1).input(1), "loop body reads the If's output");
        assertEquals(3, body.inputs().size());
        assertTrue(x.uses().stream().anyMatch(use -> use.node() == mul));
    }

    @Test
    void functionsSurvive() {
        Model model = roundTrip(Models.withFunction());
        Function function = model.functions().get(0);
        assertEquals("local", function.domain());
        assertEquals("ScaledRelu", function.name());
        assertEquals(List.of("alpha"), function.attributeNames());
        assertEquals(3, function.attributeDefaults().get(0).asInt());
        assertEquals(21L, function.opsetImports().get(""));
        assertEquals("relu then scale", function.docString());
        assertEquals("f", function.metadataProps().get("fn.key"));
        Graph body = function.body();
        assertEquals("A", body.inputs().get(0).name());
        assertEquals(Models.floats("n"), body.inputs().get(0).type());
        assertSame(body.nodes().get(2).output(0), body.outputs().get(0));
        Attribute reference = body.nodes().get(1).attribute("value_float").orElseThrow();
        assertTrue(reference.isReference());
        assertEquals("alpha", reference.refAttrName());
        assertEquals(AttributeType.FLOAT, reference.type());
    }

    @Test
    void sparseInitializerAndInitializerThatIsAlsoAnInput() {
        Graph graph = new Graph("g");
        Value sparse = Value.sparseConstant("sp", Models.sparse("sp"));
        graph.addInitializer(sparse);
        Value withDefault = graph.addInitializer(Tensor.ofFloats("bias", new long[] {2}, 1, 2));
        graph.addInput(withDefault);
        Value y = new Value("y", Models.floats(3, 4));
        graph.appendNode(new Node("", "Add", List.of(sparse, withDefault), List.of(y), List.of()));
        graph.addOutput(y);
        Model model = roundTrip(Models.wrap(graph));
        Graph imported = model.graph();
        assertEquals(Models.sparse("sp"), imported.initializers().get("sp").sparseInitializer());
        assertSame(imported.inputs().get(0), imported.initializers().get("bias"), "input and initializer are one value");
        assertSame(imported.initializers().get("sp"), imported.nodes().get(0).input(0));
    }

    @Test
    void pathAndStreamReadsAgreeWithBytes() throws Exception {
        Model original = Models.everyElementType();
        Path file = dir.resolve("model.onnx");
        OnnxExporter.write(original, file);
        byte[] bytes = OnnxExporter.toBytes(original);
        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertArrayEquals(bytes, OnnxExporter.toBytes(OnnxImporter.read(file)));
        assertArrayEquals(bytes, OnnxExporter.toBytes(OnnxImporter.read(new ByteArrayInputStream(bytes))));
        Tensor mapped = OnnxImporter.read(file).graph().initializers().get("t_float").initializer();
        assertTrue(mapped.data().isDirect(), "a path read views the mapped file");
        assertTrue(mapped.data().isReadOnly());
        assertEquals(List.of(), OnnxImporter.externalDataFiles(file));
    }

    @Test
    void externalDataIsWrittenAlignedAndReadBack() throws Exception {
        Model original = Models.bigWeights(5, 1000);
        original.graph().addInitializer(Tensor.ofFloats("tiny", new long[] {1}, 9));
        Path file = dir.resolve("ext.onnx");
        OnnxExporter.write(original, file, ExportOptions.builder().externalData(true).sizeThreshold(100).build());
        Path data = dir.resolve("ext.onnx.data");
        assertTrue(Files.exists(data));
        assertTrue(Files.size(file) < 4000, "weights are not inline: " + Files.size(file));
        assertEquals(List.of("ext.onnx.data"), OnnxImporter.externalDataFiles(file));
        Model imported = OnnxImporter.read(file);
        for (Value value : original.graph().initializers().values()) {
            assertTrue(value.initializer().contentEquals(imported.graph().initializers().get(value.name()).initializer()),
                    value.name());
        }
        assertArrayEquals(OnnxExporter.toBytes(original), OnnxExporter.toBytes(imported));
        // Every offset is 64-byte aligned: 5 tensors of 4000 bytes each start at multiples of 64.
        assertEquals(4 * 4032 + 4000, Files.size(data));

        Path again = dir.resolve("again.onnx");
        OnnxExporter.write(imported, again, ExportOptions.builder().externalData(true).sizeThreshold(100)
                .externalDataFileName("weights.bin").build());
        assertEquals(List.of("weights.bin"), OnnxImporter.externalDataFiles(again));
        assertArrayEquals(Files.readAllBytes(data), Files.readAllBytes(dir.resolve("weights.bin")));
    }

    @Test
    void writingOverTheSourceFileKeepsImportedTensorsValid() throws Exception {
        Path file = dir.resolve("same.onnx");
        OnnxExporter.write(Models.bigWeights(2, 500), file,
                ExportOptions.builder().externalData(true).build());
        Model imported = OnnxImporter.read(file);
        OnnxExporter.write(imported, file, ExportOptions.builder().externalData(true).build());
        Model again = OnnxImporter.read(file);
        assertTrue(imported.graph().initializers().get("w1").initializer()
                .contentEquals(again.graph().initializers().get("w1").initializer()));
    }

    @Test
    void toBytesRefusesModelsOverTwoGigabytes() throws Exception {
        Path sparseFile = dir.resolve("huge.bin");
        long size = 1_200_000_000L;
        try (var raf = new java.io.RandomAccessFile(sparseFile.toFile(), "rw")) {
            raf.setLength(size);
        }
        java.nio.ByteBuffer mapped;
        try (var channel = java.nio.channels.FileChannel.open(sparseFile)) {
            mapped = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, size);
        }
        Graph graph = new Graph("huge");
        graph.addInitializer(Tensor.of("a", ElementType.UINT8, new long[] {size}, mapped));
        graph.addInitializer(Tensor.of("b", ElementType.UINT8, new long[] {size}, mapped));
        ModelFormatException e = org.junit.jupiter.api.Assertions.assertThrows(ModelFormatException.class,
                () -> OnnxExporter.toBytes(Models.wrap(graph)));
        assertTrue(e.getMessage().startsWith("<bytes>: "), e.getMessage());
        assertTrue(e.getMessage().contains("2400000000 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("external data"), e.getMessage());
    }

    @Test
    void unknownAndSymbolicDimsSurvive() {
        Graph graph = new Graph("dims");
        Value x = new Value("x", ValueType.tensor(ElementType.FLOAT,
                dev.tern.ir.Shape.of(Dim.of("batch"), Dim.UNKNOWN, Dim.of(0))));
        Value noShape = new Value("unranked", ValueType.tensor(ElementType.FLOAT, dev.tern.ir.Shape.unknownRank()));
        Value untyped = new Value("untyped");
        graph.addInput(x);
        graph.addInput(noShape);
        graph.addInput(untyped);
        graph.addOutput(x);
        Model model = roundTrip(Models.wrap(graph));
        assertEquals(x.type(), model.graph().inputs().get(0).type());
        assertFalse(((ValueType.TensorType) model.graph().inputs().get(1).type()).shape().isRankKnown());
        assertNull(model.graph().inputs().get(2).type());
    }
}
