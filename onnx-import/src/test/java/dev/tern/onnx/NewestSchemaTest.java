package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Function;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.QuantizationAnnotation;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.TrainingInfo;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.logging.RecordedLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models of IR versions 12 and 13 that set every field of the schema import without a
 * warning, keep each field in the IR, and are written back byte for byte.
 */
class NewestSchemaTest {
    @TempDir
    Path dir;

    private static Model read(long irVersion) {
        return OnnxImporter.read(HandWrittenModels.everyField(irVersion).toByteArray());
    }

    @ParameterizedTest(name = "IR version {0}")
    @ValueSource(longs = {12, 13})
    void aPlainRoundTripGivesBackTheSameBytes(long irVersion) throws Exception {
        byte[] original = HandWrittenModels.everyField(irVersion).toByteArray();
        Path file = Files.write(dir.resolve("model.onnx"), original);
        Model[] imported = new Model[1];

        List<RecordedLogs.Event> logged = RecordedLogs.during(() -> imported[0] = OnnxImporter.read(file));

        assertEquals(List.of(), logged, "a known IR version reads without a warning");
        assertEquals(irVersion, imported[0].irVersion());
        assertFalse(imported[0].isModified());
        Path written = dir.resolve("written.onnx");
        OnnxExporter.write(imported[0], written);
        assertArrayEquals(original, Files.readAllBytes(written));
    }

    @ParameterizedTest(name = "IR version {0}")
    @ValueSource(longs = {12, 13})
    void theElementTypesTheVersionAddedAreRead(long irVersion) {
        Map<String, Value> initializers = read(irVersion).graph().initializers();
        for (ElementType type : HandWrittenModels.addedBy(irVersion)) {
            Tensor tensor = initializers.get("t_" + type.onnxName()).initializer();
            assertEquals(type, tensor.elementType());
            assertEquals(type.byteSize(5), tensor.byteSize(), type + " packs 5 elements");
            assertEquals(1, tensor.data().get(0));
        }
    }

    @Test
    void trainingInfoIsKept() {
        TrainingInfo training = read(13).trainingInfo().get(0);
        assertEquals(Map.of("gain", "gain_init"), training.initializationBindings());
        assertEquals(Map.of("gain", "gain_next"), training.updateBindings());
        Graph initialization = training.initialization();
        assertEquals("Constant", initialization.nodes().get(0).opType());
        assertEquals("gain_init", initialization.outputs().get(0).name());
        Graph algorithm = training.algorithm();
        Node update = algorithm.nodes().get(0);
        assertEquals("gain", update.input(0).name(), "read from the inference graph by name");
        assertNull(update.input(0).producer());
        assertTrue(algorithm.initializers().containsKey("delta"));
    }

    @Test
    void quantizationAnnotationsAreKeptByTensorName() {
        QuantizationAnnotation annotation = read(13).graph().quantizationAnnotations().get("gain");
        assertEquals(Optional.of("gain_scale"), annotation.scaleTensor());
        assertEquals(Optional.of("gain_zero_point"), annotation.zeroPointTensor());
    }

    @Test
    void metadataIsKeptEverywhere() {
        Model model = read(13);
        Graph graph = model.graph();
        assertEquals(Map.of("model_author", "tests"), model.metadataProps());
        assertEquals(Map.of("graph.key", "g"), graph.metadataProps());
        assertEquals(Map.of("layer", "1"), graph.nodes().get(0).metadataProps());
        assertEquals(Map.of("unit", "cm"), graph.inputs().get(0).metadataProps());
        assertEquals(Map.of("stage", "middle"), graph.nodes().get(0).output(0).metadataProps());
        Tensor gain = graph.initializers().get("gain").initializer();
        assertEquals(Map.of("origin", "calibration"), gain.metadataProps());
        assertEquals("per-feature gain", gain.docString());
        Function affine = model.functions().get(0);
        assertEquals(Map.of("fn.key", "f"), affine.metadataProps());
        assertEquals("v2", affine.overload());
    }

    @Test
    void typeAndDimensionDenotationsAreKept() {
        ValueType type = read(13).graph().inputs().get(0).type();
        assertEquals("TENSOR", type.denotation());
        Shape shape = ((ValueType.TensorType) type).shape();
        assertEquals(List.of(Dim.of("batch"), Dim.of(4)), shape.dims());
        assertEquals(List.of("DATA_BATCH", "DATA_FEATURE"), List.of(shape.denotation(0), shape.denotation(1)));
    }

    @Test
    void deviceConfigurationsAreKeptAsOpaqueFields() throws Exception {
        ModelProto original = HandWrittenModels.everyField(13);
        Model model = OnnxImporter.read(original.toByteArray());
        assertFalse(model.opaqueFields().isEmpty());
        assertFalse(model.graph().nodes().get(0).opaqueFields().isEmpty());
        assertTrue(model.graph().nodes().get(1).opaqueFields().isEmpty());

        model.graph().nodes().get(1).setName("edited");
        ModelProto written = ModelProto.parseFrom(OnnxExporter.toBytes(model));

        assertEquals(original.getConfigurationList(), written.getConfigurationList());
        assertEquals(original.getGraph().getNode(0).getDeviceConfigurationsList(),
                written.getGraph().getNode(0).getDeviceConfigurationsList());
    }

    @Test
    void anEditedModelStillWritesEveryFieldItHolds() throws Exception {
        ModelProto original = HandWrittenModels.everyField(13);
        Model model = OnnxImporter.read(original.toByteArray());
        model.graph().nodes().get(0).setName("renamed");

        ModelProto written = ModelProto.parseFrom(OnnxExporter.toBytes(model));

        assertEquals("tern", written.getProducerName());
        ModelProto expected = original.toBuilder()
                .setProducerName(written.getProducerName())
                .setProducerVersion(written.getProducerVersion())
                .setGraph(original.getGraph().toBuilder().setNode(0,
                        original.getGraph().getNode(0).toBuilder().setName("renamed")))
                .build();
        assertEquals(expected, written);
    }
}
