package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.QuantizationAnnotation;
import dev.tern.ir.Tensor;
import dev.tern.ir.TrainingInfo;
import dev.tern.ir.Value;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whose name goes into producer_name: the file's for a plain round trip, Tern's for a model it built or changed. */
class ProducerTest {
    private static ModelProto exported(Model model) throws Exception {
        return ModelProto.parseFrom(OnnxExporter.toBytes(model));
    }

    /** The linear test model as another tool wrote it. */
    private static byte[] foreignFile() {
        Model model = Models.linear();
        model.setProducerName("pytorch");
        model.setProducerVersion("2.9.0");
        model.clearModified();
        return OnnxExporter.toBytes(model);
    }

    @Test
    void theVersionIsTheBuildsOwn() {
        String expected = System.getProperty("tern.expected.version");
        assertNotNull(expected, "surefire passes the project version");
        assertEquals(expected, OnnxExporter.producerVersion());
    }

    @Test
    void aModelBuiltInCodeIsTerns() throws Exception {
        ModelProto proto = exported(Models.linear());
        assertEquals("tern", proto.getProducerName());
        assertEquals(OnnxExporter.producerVersion(), proto.getProducerVersion());
    }

    @Test
    void aPlainRoundTripKeepsTheProducer() throws Exception {
        Model imported = OnnxImporter.read(foreignFile());
        assertFalse(imported.isModified());
        ModelProto proto = exported(imported);
        assertEquals("pytorch", proto.getProducerName());
        assertEquals("2.9.0", proto.getProducerVersion());
    }

    @Test
    void renamingTheProducerIsNotAnEdit() throws Exception {
        Model imported = OnnxImporter.read(foreignFile());
        imported.setProducerName("torch.onnx");
        assertEquals("torch.onnx", exported(imported).getProducerName());
    }

    static Stream<Arguments> edits() {
        return Stream.of(
                edit("model metadata", model -> model.metadataProps().put("k", "v")),
                edit("model doc string", model -> model.setDocString("changed")),
                edit("opset import", model -> model.opsetImports().put("com.example", 2L)),
                edit("graph metadata removal", model -> model.graph().metadataProps().remove("graph.key")),
                edit("node name", model -> model.graph().nodes().get(0).setName("renamed")),
                edit("node metadata", model -> model.graph().nodes().get(0).metadataProps().put("k", "v")),
                edit("value type", model -> model.graph().inputs().get(0).setType(Models.floats(1, 3))),
                edit("value rename", model -> model.graph().outputs().get(0).rename("out")),
                edit("weights", model -> model.graph().initializers().get("B")
                        .setInitializer(Tensor.ofFloats("B", new long[] {2}, 0, 0))),
                edit("node removal", ProducerTest::bypassAdd),
                edit("quantization annotation", model -> model.graph().quantizationAnnotations()
                        .put("W", QuantizationAnnotation.linear("s", "z"))),
                edit("training info", model -> model.trainingInfo().add(new TrainingInfo())));
    }

    private static Arguments edit(String name, Consumer<Model> change) {
        return Arguments.of(name, change);
    }

    /** Makes the graph output the MatMul's product and drops the Add. */
    private static void bypassAdd(Model model) {
        Node add = model.graph().nodes().get(1);
        Value product = add.input(0);
        model.graph().setOutput(0, product);
        model.graph().removeNode(add);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void anyEditMakesItTerns(String name, Consumer<Model> change) throws Exception {
        Model imported = OnnxImporter.read(foreignFile());
        change.accept(imported);
        ModelProto proto = exported(imported);
        assertEquals(List.of("tern", OnnxExporter.producerVersion()),
                List.of(proto.getProducerName(), proto.getProducerVersion()), name);
    }
}
