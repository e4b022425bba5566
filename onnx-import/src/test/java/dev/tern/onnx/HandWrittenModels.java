package dev.tern.onnx;

import com.google.protobuf.ByteString;
import dev.tern.ir.ElementType;
import dev.tern.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.DeviceConfigurationProto;
import dev.tern.onnx.internal.proto.OnnxProtos.FunctionProto;
import dev.tern.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.tern.onnx.internal.proto.OnnxProtos.IntIntListEntryProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.internal.proto.OnnxProtos.NodeDeviceConfigurationProto;
import dev.tern.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ShardedDimProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ShardingSpecProto;
import dev.tern.onnx.internal.proto.OnnxProtos.SimpleShardedDimProto;
import dev.tern.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorAnnotation;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorShapeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TrainingInfoProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TypeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * ONNX models written field by field with protobuf, the way another tool writes them, for
 * tests that check Tern reads every field and writes each back where it was. The fields Tern
 * always writes (a graph's name, a tensor's name, an opset's domain) are set here too, so a
 * plain round trip can be compared byte for byte.
 */
final class HandWrittenModels {
    private HandWrittenModels() {
    }

    /**
     * y = local::Affine(x * gain), with every field of the ONNX schema set somewhere: metadata
     * on the model, graph, node, values, function and tensors; type and dimension denotations;
     * a quantization annotation; a training info with both graphs and bindings; multi-device
     * configurations; and one unused initializer of each element type IR version
     * {@code irVersion} added (12: FLOAT8E8M0; 13: also UINT2 and INT2).
     */
    static ModelProto everyField(long irVersion) {
        GraphProto.Builder main = GraphProto.newBuilder()
                .setName("main")
                .setDocString("the main graph")
                .addInitializer(floats("gain", 1, 2, 3, 4).toBuilder().setDocString("per-feature gain")
                        .addMetadataProps(entry("origin", "calibration")))
                .addInput(value("x", denotedRows()).toBuilder().setDocString("input rows")
                        .addMetadataProps(entry("unit", "cm")))
                .addNode(NodeProto.newBuilder().setName("scale_up").setOpType("Mul")
                        .addInput("x").addInput("gain").addOutput("scaled")
                        .setDocString("scales each feature")
                        .addMetadataProps(entry("layer", "1"))
                        .addDeviceConfigurations(shardedOverTwoDevices()))
                .addNode(NodeProto.newBuilder().setName("call").setOpType("Affine").setDomain("local")
                        .setOverload("v2").addInput("scaled").addOutput("y")
                        .addAttribute(AttributeProto.newBuilder().setName("alpha")
                                .setType(AttributeProto.AttributeType.FLOAT).setF(0.5f).setDocString("slope"))
                        .addMetadataProps(entry("layer", "2")))
                .addValueInfo(value("scaled", rows()).toBuilder().addMetadataProps(entry("stage", "middle")))
                .addOutput(value("y", rows()).toBuilder().setDocString("result"))
                .addQuantizationAnnotation(TensorAnnotation.newBuilder().setTensorName("gain")
                        .addQuantParameterTensorNames(entry("SCALE_TENSOR", "gain_scale"))
                        .addQuantParameterTensorNames(entry("ZERO_POINT_TENSOR", "gain_zero_point")))
                .addMetadataProps(entry("graph.key", "g"));
        for (ElementType type : addedBy(irVersion)) {
            main.addInitializer(packed("t_" + type.onnxName(), type, 5));
        }
        return ModelProto.newBuilder()
                .setIrVersion(irVersion)
                .addOpsetImport(opset("", 21))
                .addOpsetImport(opset("local", 1))
                .setProducerName("hand-written")
                .setProducerVersion("1.0")
                .setDomain("dev.tern.tests")
                .setModelVersion(3)
                .setDocString("every field")
                .setGraph(main)
                .addMetadataProps(entry("model_author", "tests"))
                .addTrainingInfo(trainingInfo())
                .addFunctions(affine())
                .addConfiguration(DeviceConfigurationProto.newBuilder().setName("pair").setNumDevices(2)
                        .addDevice("cuda:0").addDevice("cuda:1"))
                .build();
    }

    /** The element types IR version {@code irVersion} added to the schema (none before 12). */
    static List<ElementType> addedBy(long irVersion) {
        if (irVersion >= 13) {
            return List.of(ElementType.FLOAT8E8M0, ElementType.UINT2, ElementType.INT2);
        }
        return irVersion == 12 ? List.of(ElementType.FLOAT8E8M0) : List.of();
    }

    /** Resets gain to its calibrated value; each step adds a learned delta to it. */
    private static TrainingInfoProto trainingInfo() {
        GraphProto initialization = GraphProto.newBuilder()
                .setName("init")
                .addNode(NodeProto.newBuilder().setOpType("Constant").addOutput("gain_init")
                        .addAttribute(AttributeProto.newBuilder().setName("value")
                                .setType(AttributeProto.AttributeType.TENSOR).setT(floats("calibrated", 1, 1, 1, 1))))
                .addOutput(value("gain_init", ElementType.FLOAT, 4))
                .build();
        GraphProto algorithm = GraphProto.newBuilder()
                .setName("step")
                .addInitializer(floats("delta", 0.1f, 0.1f, 0.1f, 0.1f))
                // "gain" is the inference graph's initializer, which a training step may read.
                .addNode(NodeProto.newBuilder().setName("update").setOpType("Add")
                        .addInput("gain").addInput("delta").addOutput("gain_next"))
                .addOutput(value("gain_next", ElementType.FLOAT, 4))
                .build();
        return TrainingInfoProto.newBuilder()
                .setInitialization(initialization)
                .setAlgorithm(algorithm)
                .addInitializationBinding(entry("gain", "gain_init"))
                .addUpdateBinding(entry("gain", "gain_next"))
                .build();
    }

    /** local::Affine(X) = X * alpha (required, by reference), with an unused defaulted beta. */
    private static FunctionProto affine() {
        return FunctionProto.newBuilder()
                .setName("Affine")
                .setDomain("local")
                .setOverload("v2")
                .addInput("X")
                .addOutput("Y")
                .addAttribute("alpha")
                .addAttributeProto(AttributeProto.newBuilder().setName("beta")
                        .setType(AttributeProto.AttributeType.FLOAT).setF(1))
                .addNode(NodeProto.newBuilder().setOpType("Constant").addOutput("alpha_value")
                        .addAttribute(AttributeProto.newBuilder().setName("value_float")
                                .setType(AttributeProto.AttributeType.FLOAT).setRefAttrName("alpha")))
                .addNode(NodeProto.newBuilder().setOpType("Mul").addInput("X").addInput("alpha_value").addOutput("Y"))
                .addValueInfo(value("X", rows()))
                .addValueInfo(value("Y", rows()))
                .addOpsetImport(opset("", 21))
                .setDocString("multiplies by alpha")
                .addMetadataProps(entry("fn.key", "f"))
                .build();
    }

    /** Node input x split along its batch axis over both devices of configuration "pair". */
    private static NodeDeviceConfigurationProto shardedOverTwoDevices() {
        return NodeDeviceConfigurationProto.newBuilder()
                .setConfigurationId("pair")
                .addShardingSpec(ShardingSpecProto.newBuilder()
                        .setTensorName("x")
                        .addDevice(0)
                        .addDevice(1)
                        .addIndexToDeviceGroupMap(IntIntListEntryProto.newBuilder().setKey(0).addValue(0).addValue(1))
                        .addShardedDim(ShardedDimProto.newBuilder().setAxis(0)
                                .addSimpleSharding(SimpleShardedDimProto.newBuilder().setDimParam("batch")
                                        .setNumShards(2))))
                .setPipelineStage(1)
                .build();
    }

    /** float[batch, 4]. */
    private static TypeProto rows() {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(4))
                .build();
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(ElementType.FLOAT.onnxCode()).setShape(shape)).build();
    }

    /** float[batch, 4] denoted as a tensor of batch by feature. */
    static TypeProto denotedRows() {
        TypeProto.Builder type = rows().toBuilder().setDenotation("TENSOR");
        TensorShapeProto.Builder shape = type.getTensorTypeBuilder().getShapeBuilder();
        shape.getDimBuilder(0).setDenotation("DATA_BATCH");
        shape.getDimBuilder(1).setDenotation("DATA_FEATURE");
        return type.build();
    }

    static ValueInfoProto value(String name, TypeProto type) {
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static ValueInfoProto value(String name, ElementType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return value(name, TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(type.onnxCode()).setShape(shape)).build());
    }

    private static TensorProto floats(String name, float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return TensorProto.newBuilder().setName(name).setDataType(ElementType.FLOAT.onnxCode())
                .addDims(values.length).setRawData(ByteString.copyFrom(bytes.array())).build();
    }

    /** {@code count} elements of {@code type}, packed as ONNX packs sub-byte types, bytes 1, 2, 3, ... */
    private static TensorProto packed(String name, ElementType type, int count) {
        byte[] bytes = new byte[(int) type.byteSize(count)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i + 1);
        }
        return TensorProto.newBuilder().setName(name).setDataType(type.onnxCode()).addDims(count)
                .setRawData(ByteString.copyFrom(bytes)).build();
    }

    private static OperatorSetIdProto opset(String domain, long version) {
        return OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version).build();
    }

    static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
