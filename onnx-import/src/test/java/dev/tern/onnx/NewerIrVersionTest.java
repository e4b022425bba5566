package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.tern.onnx.logging.RecordedLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * A model of an IR version newer than any Tern knows, carrying fields of that future schema on
 * many of its messages: it imports with one warning, and the fields survive a round trip and
 * edits.
 */
class NewerIrVersionTest {
    private static final long FUTURE_IR_VERSION = 99;

    @TempDir
    Path dir;

    /** Fields numbered past anything ONNX uses: a varint and a string, different per message. */
    private static UnknownFieldSet future(int seed) {
        return UnknownFieldSet.newBuilder()
                .addField(1000 + seed, UnknownFieldSet.Field.newBuilder().addVarint(seed).build())
                .addField(2000 + seed, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("future " + seed)).build())
                .build();
    }

    /** The every-field model at IR version 99, with future fields on nine kinds of message. */
    private static ModelProto futureModel() {
        ModelProto.Builder model = HandWrittenModels.everyField(13).toBuilder()
                .setIrVersion(FUTURE_IR_VERSION)
                .setUnknownFields(future(1));
        GraphProto.Builder graph = model.getGraphBuilder().setUnknownFields(future(2));
        graph.getNodeBuilder(0).setUnknownFields(future(3));
        graph.getNodeBuilder(1).getAttributeBuilder(0).setUnknownFields(future(4));
        graph.getInputBuilder(0).setUnknownFields(future(5));
        graph.getInitializerBuilder(0).setUnknownFields(future(6));
        model.getFunctionsBuilder(0).setUnknownFields(future(7));
        model.getTrainingInfoBuilder(0).setUnknownFields(future(8))
                .getAlgorithmBuilder().setUnknownFields(future(9));
        return model.build();
    }

    @Test
    void importsWithOneWarningNamingTheFileAndBothVersions() throws Exception {
        Path file = Files.write(dir.resolve("future.onnx"), futureModel().toByteArray());

        List<RecordedLogs.Event> logged = RecordedLogs.during(() -> OnnxImporter.read(file));

        assertEquals(1, logged.size(), logged::toString);
        RecordedLogs.Event warning = logged.get(0);
        assertEquals(Level.WARN, warning.level());
        assertEquals(file + ": ir_version 99 is newer than the newest Tern knows (13); reading it anyway,"
                + " and keeping the fields Tern does not know as they are", warning.message());
    }

    @Test
    void eachParseWarnsOnce() throws Exception {
        byte[] bytes = futureModel().toByteArray();

        List<RecordedLogs.Event> logged = RecordedLogs.during(() -> {
            OnnxImporter.read(bytes);
            OnnxImporter.read(bytes);
        });

        assertEquals(2, logged.size(), logged::toString);
        assertEquals(logged.get(0), logged.get(1));
    }

    @Test
    void aPlainRoundTripGivesBackTheSameBytes() throws Exception {
        byte[] original = futureModel().toByteArray();
        Model model = OnnxImporter.read(original);
        assertEquals(FUTURE_IR_VERSION, model.irVersion());
        assertFalse(model.graph().opaqueFields().isEmpty());
        assertFalse(model.graph().inputs().get(0).opaqueFields().isEmpty());
        assertFalse(model.graph().initializers().get("gain").initializer().opaqueFields().isEmpty());
        assertFalse(model.graph().nodes().get(1).attribute("alpha").orElseThrow().opaqueFields().isEmpty());
        assertFalse(model.functions().get(0).opaqueFields().isEmpty());
        assertFalse(model.trainingInfo().get(0).opaqueFields().isEmpty());

        assertArrayEquals(original, OnnxExporter.toBytes(model));
    }

    @Test
    void futureFieldsSurviveEditsAroundThem() throws Exception {
        ModelProto original = futureModel();
        Model model = OnnxImporter.read(original.toByteArray());
        Node scale = model.graph().nodes().get(0);
        scale.setName("renamed");
        scale.metadataProps().put("edited", "yes");

        ModelProto written = ModelProto.parseFrom(OnnxExporter.toBytes(model));

        NodeProto node = written.getGraph().getNode(0);
        assertEquals("renamed", node.getName());
        assertEquals(future(3), node.getUnknownFields());
        assertEquals(original.getGraph().getNode(0).getDeviceConfigurationsList(), node.getDeviceConfigurationsList());
        assertEquals(future(1), written.getUnknownFields());
        assertEquals(future(2), written.getGraph().getUnknownFields());
        assertEquals(future(9), written.getTrainingInfo(0).getAlgorithm().getUnknownFields());
        assertEquals(FUTURE_IR_VERSION, written.getIrVersion());
        assertEquals("tern", written.getProducerName());
    }
}
