package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.tern.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import dev.tern.onnx.internal.proto.OnnxProtos.SparseTensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TypeProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed models must fail with a {@link ModelFormatException} naming the file and the field
 * at fault, never with an unchecked JDK error. Every corrupt model is derived from a valid one.
 */
class CorruptModelTest {
    @TempDir
    Path dir;

    private static ModelProto linear() throws Exception {
        return ModelProto.parseFrom(OnnxExporter.toBytes(Models.linear()));
    }

    /** The linear model with initializer {@code W} (index 0) changed by {@code change}. */
    private static ModelProto withW(UnaryOperator<TensorProto.Builder> change) throws Exception {
        ModelProto.Builder model = linear().toBuilder();
        TensorProto.Builder w = model.getGraphBuilder().getInitializerBuilder(0);
        change.apply(w);
        return model.build();
    }

    private ModelFormatException rejected(ModelProto proto, String... fragments) throws Exception {
        return rejected(proto.toByteArray(), fragments);
    }

    private ModelFormatException rejected(byte[] bytes, String... fragments) throws Exception {
        Path file = dir.resolve("model.onnx");
        Files.write(file, bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxImporter.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' missing from: " + e.getMessage());
        }
        return e;
    }

    @Test
    void rawDataTooShort() throws Exception {
        rejected(withW(w -> w.setRawData(ByteString.copyFrom(new byte[12]))),
                "graph 'main' initializer 'W': raw_data has 12 bytes, dims [3, 2] of FLOAT need 24");
    }

    @Test
    void negativeDimension() throws Exception {
        rejected(withW(w -> w.setDims(0, -3)), "initializer 'W'", "dims[0] is -3");
    }

    @Test
    void dimensionsOverflowALong() throws Exception {
        rejected(withW(w -> w.clearDims().addDims(1L << 40).addDims(1L << 40)),
                "initializer 'W'", "more elements than a long can count");
    }

    @Test
    void tensorOverTwoGigabytesIsRefusedBeforeAllocating() throws Exception {
        rejected(withW(w -> w.clearDims().addDims(1L << 20).addDims(1L << 20)),
                "initializer 'W'", "one tensor can hold at most 2 GiB");
    }

    @Test
    void unknownElementType() throws Exception {
        rejected(withW(w -> w.setDataType(99)), "initializer 'W'", "data_type 99 is not a known element type");
    }

    @Test
    void undefinedElementType() throws Exception {
        rejected(withW(w -> w.setDataType(0)), "initializer 'W'", "data_type is UNDEFINED");
    }

    @Test
    void typedFieldCountDiffersFromDims() throws Exception {
        rejected(withW(w -> w.clearRawData().addAllFloatData(Arrays.asList(1f, 2f, 3f, 4f, 5f))),
                "initializer 'W'", "float_data has 5 entries, dims [3, 2] of FLOAT need 6");
    }

    @Test
    void float16CountInInt32DataDiffers() throws Exception {
        rejected(withW(w -> w.clearRawData().setDataType(10).addAllInt32Data(Arrays.asList(1, 2, 3))),
                "initializer 'W'", "int32_data has 3 entries, dims [3, 2] of FLOAT16 need 6");
    }

    @Test
    void tensorWithoutAnyData() throws Exception {
        rejected(withW(TensorProto.Builder::clearRawData), "initializer 'W'", "holds no data", "float_data");
    }

    @Test
    void stringTensorWithRawData() throws Exception {
        rejected(withW(w -> w.setDataType(8)), "initializer 'W'", "STRING tensor keeps its elements in string_data");
    }

    @Test
    void segmentedTensor() throws Exception {
        rejected(withW(w -> w.setSegment(TensorProto.Segment.newBuilder().setBegin(0).setEnd(3))),
                "initializer 'W'", "segment is set");
    }

    @Test
    void duplicateInitializerNames() throws Exception {
        ModelProto.Builder model = linear().toBuilder();
        model.getGraphBuilder().getInitializerBuilder(1).setName("W");
        rejected(model.build(), "graph 'main' initializer 'W'", "used by another initializer");
    }

    @Test
    void unknownAttributeTypeCode() throws Exception {
        AttributeProto attribute = AttributeProto.newBuilder().setName("axis")
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(20,
                        UnknownFieldSet.Field.newBuilder().addVarint(99).build()).build())
                .build();
        ModelProto.Builder model = linear().toBuilder();
        model.getGraphBuilder().getNodeBuilder(1).addAttribute(attribute);
        rejected(model.build(), "node #1 (Add) attribute 'axis'", "type 99 is not a known attribute type");
    }

    @Test
    void missingAttributeType() throws Exception {
        ModelProto.Builder model = linear().toBuilder();
        model.getGraphBuilder().getNodeBuilder(0).addAttribute(AttributeProto.newBuilder().setName("alpha").setF(1));
        rejected(model.build(), "node 'matmul' (MatMul) attribute 'alpha'", "type is missing");
    }

    @Test
    void nodeInputNamesNothing() throws Exception {
        ModelProto.Builder model = linear().toBuilder();
        model.getGraphBuilder().getNodeBuilder(0).setInput(0, "nope");
        rejected(model.build(), "node 'matmul' (MatMul)", "input 0 'nope' names no graph input");
    }

    @Test
    void twoNodesDefineTheSameOutput() throws Exception {
        ModelProto.Builder model = linear().toBuilder();
        model.getGraphBuilder().getNodeBuilder(1).setOutput(0, "product");
        rejected(model.build(), "node #1 (Add)", "output 'product' is already defined");
    }

    @Test
    void graphOutputNamesNothing() throws Exception {
        ModelProto.Builder model = linear().toBuilder();
        model.getGraphBuilder().getOutputBuilder(0).setName("ghost");
        rejected(model.build(), "graph 'main'", "output 'ghost' names no");
    }

    @Test
    void negativeDimValueInType() throws Exception {
        ModelProto.Builder model = linear().toBuilder();
        model.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .getDimBuilder(1).setDimValue(-1);
        rejected(model.build(), "input 'x'", "dim_value -1");
    }

    @Test
    void irVersionMissing() throws Exception {
        rejected(linear().toBuilder().clearIrVersion().build(), "ir_version is missing");
    }

    @Test
    void graphMissing() throws Exception {
        rejected(linear().toBuilder().clearGraph().build(), "graph is missing");
    }

    @Test
    void duplicateOpsetDomain() throws Exception {
        rejected(linear().toBuilder().addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .build(), "opset_import lists domain '' twice");
    }

    @Test
    void emptyFile() throws Exception {
        rejected(new byte[0], "ir_version is missing");
    }

    @Test
    void truncatedFile() throws Exception {
        byte[] bytes = linear().toByteArray();
        rejected(Arrays.copyOf(bytes, bytes.length / 2), "not a valid ONNX model");
    }

    @Test
    void randomBytes() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[1 + random.nextInt(400)];
            random.nextBytes(bytes);
            rejected(bytes);
        }
    }

    @Test
    void recursionBombOfNestedTypes() throws Exception {
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1)).build();
        for (int i = 0; i < 400; i++) {
            type = TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(type)).build();
        }
        ModelProto.Builder model = linear().toBuilder();
        model.getGraphBuilder().getInputBuilder(0).setType(type);
        rejected(model.build(), "not a valid ONNX model", "nesting");
    }

    @Test
    void subgraphsNestedTooDeep() throws Exception {
        GraphProto graph = GraphProto.newBuilder().setName("innermost").build();
        for (int level = 70; level > 0; level--) {
            graph = GraphProto.newBuilder().setName("level" + level)
                    .addNode(NodeProto.newBuilder().setOpType("If").addAttribute(AttributeProto.newBuilder()
                            .setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(graph)))
                    .build();
        }
        ModelProto.Builder model = linear().toBuilder();
        model.getGraphBuilder().getNodeBuilder(0).addAttribute(AttributeProto.newBuilder()
                .setName("deep").setType(AttributeProto.AttributeType.GRAPH).setG(graph));
        rejected(model.build(), "graph 'level64'", "nested more than 64 levels deep");
    }

    @Test
    void sparseIndicesOfTheWrongShape() throws Exception {
        TensorProto values = TensorProto.newBuilder().setName("sp").setDataType(1).addDims(2)
                .addAllFloatData(Arrays.asList(1f, 2f)).build();
        TensorProto indices = TensorProto.newBuilder().setDataType(7).addDims(3)
                .addAllInt64Data(Arrays.asList(0L, 1L, 2L)).build();
        ModelProto.Builder model = linear().toBuilder();
        model.getGraphBuilder().addSparseInitializer(SparseTensorProto.newBuilder().setValues(values)
                .setIndices(indices).addDims(4));
        rejected(model.build(), "sparse_initializer 'sp'", "indices dims [3] fit neither [2] nor [2, 1]");
    }

    @Test
    void bytesAndStreamsAreNamedAsSuch() throws Exception {
        byte[] bytes = linear().toBuilder().clearGraph().build().toByteArray();
        ModelFormatException fromBytes = assertThrows(ModelFormatException.class, () -> OnnxImporter.read(bytes));
        assertTrue(fromBytes.getMessage().startsWith("<bytes>: graph is missing"), fromBytes.getMessage());
        ModelFormatException fromStream = assertThrows(ModelFormatException.class,
                () -> OnnxImporter.read(new java.io.ByteArrayInputStream(bytes)));
        assertTrue(fromStream.getMessage().startsWith("<stream>: graph is missing"), fromStream.getMessage());
    }

    // ---- external data

    /** A model whose two weights are external, with initializer 0's external_data replaced by {@code entries}. */
    private ModelProto externalWith(String... entries) throws Exception {
        Path source = dir.resolve("source.onnx");
        OnnxExporter.write(Models.bigWeights(2, 100), source,
                ExportOptions.builder().externalData(true).sizeThreshold(0).externalDataFileName("weights.data").build());
        ModelProto.Builder model = ModelProto.parseFrom(Files.readAllBytes(source)).toBuilder();
        TensorProto.Builder w0 = model.getGraphBuilder().getInitializerBuilder(0).clearExternalData();
        for (int i = 0; i < entries.length; i += 2) {
            w0.addExternalData(StringStringEntryProto.newBuilder().setKey(entries[i]).setValue(entries[i + 1]));
        }
        return model.build();
    }

    @Test
    void externalAbsolutePath() throws Exception {
        rejected(externalWith("location", dir.resolve("weights.data").toString()),
                "initializer 'w0'", "is an absolute path");
    }

    @Test
    void externalParentSegment() throws Exception {
        rejected(externalWith("location", "../weights.data"), "initializer 'w0'", "'../weights.data' contains '..'");
    }

    @Test
    void externalSymlinkEscapingTheFolder() throws Exception {
        Path outside = Files.createTempDirectory("tern-outside");
        try {
            Path secret = Files.write(outside.resolve("secret.bin"), new byte[400]);
            Files.createSymbolicLink(dir.resolve("link.data"), secret);
            rejected(externalWith("location", "link.data"), "initializer 'w0'", "outside the model's folder");
        } finally {
            Files.deleteIfExists(outside.resolve("secret.bin"));
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void externalLocationThatIsNoPath() throws Exception {
        // Found by OnnxImportFuzzTest.externalData: a NUL character made Path.of throw InvalidPathException.
        rejected(externalWith("location", "weights\0.data"), "initializer 'w0'",
                "location 'weights\0.data' is not a valid path: Nul character not allowed");
    }

    @Test
    void externalFileMissing() throws Exception {
        rejected(externalWith("location", "absent.data"), "initializer 'w0'", "'absent.data' names no file");
    }

    @Test
    void externalRangePastTheEndOfTheFile() throws Exception {
        rejected(externalWith("location", "weights.data", "offset", "1000000"),
                "initializer 'w0'", "runs past the end of 'weights.data'");
    }

    @Test
    void externalLengthDiffersFromTensorSize() throws Exception {
        rejected(externalWith("location", "weights.data", "length", "396"),
                "initializer 'w0'", "length 396 differs from the tensor's size, 400 bytes");
    }

    @Test
    void externalOffsetNotANumber() throws Exception {
        rejected(externalWith("location", "weights.data", "offset", "-5"),
                "initializer 'w0'", "offset '-5' is not a non-negative integer");
    }

    @Test
    void externalWithoutLocation() throws Exception {
        rejected(externalWith("offset", "0"), "initializer 'w0'", "external_data has no 'location'");
    }

    @Test
    void externalDataFromBytesHasNoFolder() throws Exception {
        byte[] bytes = externalWith("location", "weights.data").toByteArray();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxImporter.read(bytes));
        assertTrue(e.getMessage().startsWith("<bytes>: graph 'big' initializer 'w0': data is in external file"),
                e.getMessage());
    }
}
