package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import dev.tern.onnx.internal.proto.OnnxDataProtos.MapProto;
import dev.tern.onnx.internal.proto.OnnxDataProtos.OptionalProto;
import dev.tern.onnx.internal.proto.OnnxDataProtos.SequenceProto;
import dev.tern.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports of protos written by hand: the encodings our exporter never produces, and test data files. */
class ProtoImportTest {
    @TempDir
    Path dir;

    private static Tensor decode(TensorProto proto) {
        GraphProto graph = GraphProto.newBuilder().setName("g").addInitializer(proto).build();
        Model model = OnnxImporter.read(ModelProto.newBuilder().setIrVersion(9).setGraph(graph).build().toByteArray());
        return model.graph().initializers().get(proto.getName()).initializer();
    }

    private static TensorProto.Builder tensor(ElementType type, long... dims) {
        TensorProto.Builder builder = TensorProto.newBuilder().setName("t").setDataType(type.onnxCode());
        Arrays.stream(dims).forEach(builder::addDims);
        return builder;
    }

    private static byte[] bytes(Tensor tensor) {
        ByteBuffer data = tensor.data();
        byte[] result = new byte[data.remaining()];
        data.get(result);
        return result;
    }

    @Test
    void typedFieldsBecomeLittleEndianBytes() {
        assertArrayEquals(new float[] {1.5f, -2}, decode(tensor(ElementType.FLOAT, 2)
                .addAllFloatData(List.of(1.5f, -2f)).build()).toFloatArray());
        assertArrayEquals(new double[] {0.25}, decode(tensor(ElementType.DOUBLE, 1)
                .addDoubleData(0.25).build()).toDoubleArray());
        assertArrayEquals(new long[] {-7, 1L << 40}, decode(tensor(ElementType.INT64, 2)
                .addAllInt64Data(List.of(-7L, 1L << 40)).build()).toLongArray());
        assertArrayEquals(new int[] {-3, 4}, decode(tensor(ElementType.INT32, 2)
                .addAllInt32Data(List.of(-3, 4)).build()).toIntArray());
        // float16 1.0 is 0x3c00, one int32 entry per element holding the bit pattern
        assertArrayEquals(new byte[] {0x00, 0x3c, (byte) 0xff, (byte) 0xff}, bytes(decode(tensor(ElementType.FLOAT16, 2)
                .addAllInt32Data(List.of(0x3c00, 0xffff)).build())));
        assertArrayEquals(new byte[] {1, 0, 1}, bytes(decode(tensor(ElementType.BOOL, 3)
                .addAllInt32Data(List.of(1, 0, 1)).build())));
        // three int4 elements take two packed bytes, one per int32 entry
        assertArrayEquals(new byte[] {0x21, 0x03}, bytes(decode(tensor(ElementType.INT4, 3)
                .addAllInt32Data(List.of(0x21, 0x03)).build())));
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                bytes(decode(tensor(ElementType.UINT32, 1).addUint64Data(0xffffffffL).build())));
        // complex64 is two floats per element
        Tensor complex = decode(tensor(ElementType.COMPLEX64, 1).addAllFloatData(List.of(1f, 2f)).build());
        assertEquals(8, complex.byteSize());
        assertEquals(2f, complex.data().getFloat(4));
        assertEquals(List.of("x", "yz"), decode(tensor(ElementType.STRING, 2)
                .addStringData(ByteString.copyFromUtf8("x")).addStringData(ByteString.copyFromUtf8("yz")).build())
                .stringsUtf8());
    }

    @Test
    void nodesListedBeforeTheirProducersStillResolve() {
        ValueInfoProto x = ValueInfoProto.newBuilder().setName("x").build();
        GraphProto graph = GraphProto.newBuilder().setName("unsorted")
                .addInput(x)
                .addNode(NodeProto.newBuilder().setOpType("Neg").addInput("mid").addOutput("y"))
                .addNode(NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("mid"))
                .addOutput(ValueInfoProto.newBuilder().setName("y"))
                .build();
        Model model = OnnxImporter.read(ModelProto.newBuilder().setIrVersion(11).setGraph(graph).build().toByteArray());
        Graph imported = model.graph();
        assertSame(imported.nodes().get(1).output(0), imported.nodes().get(0).input(0));
        imported.sortTopologically();
        assertEquals("Relu", imported.nodes().get(0).opType());
    }

    @Test
    void tensorFilesAndTestDataValues() throws Exception {
        TensorProto element = tensor(ElementType.FLOAT, 2).addAllFloatData(List.of(1f, 2f)).build();
        Path tensorFile = Files.write(dir.resolve("input_0.pb"), element.toByteArray());
        assertArrayEquals(new float[] {1, 2}, OnnxImporter.readTensor(tensorFile).toFloatArray());

        ValueType floats = ValueType.tensor(ElementType.FLOAT, Shape.unknownRank());
        SequenceProto sequence = SequenceProto.newBuilder().setElemType(1)
                .addTensorValues(element).addTensorValues(element).build();
        Path sequenceFile = Files.write(dir.resolve("input_1.pb"), sequence.toByteArray());
        TestData.SequenceData read = (TestData.SequenceData) OnnxImporter.readValue(sequenceFile,
                new ValueType.SequenceType(floats));
        assertEquals(2, read.elements().size());
        assertArrayEquals(new float[] {1, 2}, ((TestData.TensorData) read.elements().get(1)).tensor().toFloatArray());

        Path emptyOptional = Files.write(dir.resolve("input_2.pb"), OptionalProto.newBuilder().setElemType(1).build()
                .toByteArray());
        assertTrue(((TestData.OptionalData) OnnxImporter.readValue(emptyOptional, new ValueType.OptionalType(floats)))
                .value().isEmpty());
        Path fullOptional = Files.write(dir.resolve("input_3.pb"), OptionalProto.newBuilder().setElemType(1)
                .setTensorValue(element).build().toByteArray());
        assertTrue(((TestData.OptionalData) OnnxImporter.readValue(fullOptional, new ValueType.OptionalType(floats)))
                .value().orElseThrow() instanceof TestData.TensorData);

        MapProto map = MapProto.newBuilder().setKeyType(ElementType.INT32.onnxCode()).addAllKeys(List.of(5L, -1L))
                .setValues(sequence).build();
        Path mapFile = Files.write(dir.resolve("input_4.pb"), map.toByteArray());
        TestData.MapData mapData = (TestData.MapData) OnnxImporter.readValue(mapFile,
                new ValueType.MapType(ElementType.INT32, floats));
        assertArrayEquals(new int[] {5, -1}, mapData.keys().toIntArray());
        assertEquals(2, mapData.values().size());

        Path broken = Files.write(dir.resolve("output_0.pb"),
                tensor(ElementType.FLOAT, 3).addFloatData(1).build().toByteArray());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxImporter.readTensor(broken));
        assertTrue(e.getMessage().startsWith(broken + ": float_data has 1 entries"), e.getMessage());
    }

    @Test
    void weightsStayReadableAfterEverythingElseIsCollected() throws Exception {
        Path file = dir.resolve("lifetime.onnx");
        OnnxExporter.write(Models.bigWeights(1, 250_000), file);
        Tensor weight = OnnxImporter.read(file).graph().initializers().get("w0").initializer();
        ByteBuffer expected = ByteBuffer.allocate(1_000_000).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 250_000; k++) {
            expected.putFloat(k * 1e-3f);
        }
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        // The tensor's buffer is a slice of the mapping; slices keep their parent, so it is still mapped.
        assertEquals(expected.flip(), weight.data());
    }

    @Test
    void exportOptionsCheckTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> ExportOptions.builder().sizeThreshold(-1));
        assertThrows(IllegalArgumentException.class, () -> ExportOptions.builder().externalDataFileName("../x"));
        assertThrows(IllegalArgumentException.class, () -> ExportOptions.builder().externalDataFileName("a/b"));
        ExportOptions options = ExportOptions.builder().externalData(true).sizeThreshold(5)
                .externalDataFileName("w.bin").build();
        assertTrue(options.externalData());
        assertEquals(5, options.sizeThreshold());
        assertEquals("w.bin", options.externalDataFileName().orElseThrow());
        assertEquals(ExportOptions.DEFAULT_SIZE_THRESHOLD, ExportOptions.defaults().sizeThreshold());
    }
}
