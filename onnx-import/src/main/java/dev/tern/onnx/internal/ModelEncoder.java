package dev.tern.onnx.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Function;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.TrainingInfo;
import dev.tern.ir.Value;
import dev.tern.onnx.internal.proto.OnnxProtos.FunctionProto;
import dev.tern.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorAnnotation;
import dev.tern.onnx.internal.proto.OnnxProtos.TrainingInfoProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link Model} into a {@code ModelProto}. The output depends only on the IR, in its
 * iteration orders, so encoding the same model twice gives the same bytes. Every intermediate
 * value with a known type (or docs) gets a {@code value_info} entry, and each object's opaque
 * fields go back into the message it came from.
 *
 * <p>The producer fields are the model's own while it is {@linkplain Model#isModified()
 * unmodified}; a model Tern built or changed is written as produced by {@value #PRODUCER_NAME}
 * at {@link TernVersion#current()}.
 */
public final class ModelEncoder {
    /** The producer_name of a model Tern built or changed. */
    public static final String PRODUCER_NAME = "tern";

    private final TensorEncoder tensors;
    private final AttributeEncoder attributes;
    private final Where where;

    public ModelEncoder(TensorEncoder tensors, String destination) {
        this.tensors = tensors;
        this.attributes = new AttributeEncoder(tensors);
        this.where = Where.in(destination);
    }

    /**
     * @throws dev.tern.onnx.ModelFormatException if a value read by a node has an empty name,
     *     which ONNX would take for an omitted input, or opaque fields are not fields of the
     *     message they belong to
     */
    public ModelProto encode(Model model) {
        boolean modified = model.isModified();
        ModelProto.Builder builder = ModelProto.newBuilder()
                .setIrVersion(model.irVersion())
                .setProducerName(modified ? PRODUCER_NAME : model.producerName())
                .setProducerVersion(modified ? TernVersion.current() : model.producerVersion())
                .setDomain(model.domain())
                .setModelVersion(model.modelVersion())
                .setDocString(model.docString())
                .setGraph(graph(model.graph(), where));
        addOpsets(model.opsetImports(), builder::addOpsetImport);
        builder.addAllMetadataProps(StringEntries.of(model.metadataProps()));
        for (Function function : model.functions()) {
            builder.addFunctions(function(function));
        }
        for (int i = 0; i < model.trainingInfo().size(); i++) {
            builder.addTrainingInfo(trainingInfo(model.trainingInfo().get(i), where.then("training_info[" + i + "]")));
        }
        return OpaqueFieldCodec.restore(builder, model.opaqueFields(), where).build();
    }

    private GraphProto graph(Graph graph, Where parent) {
        Where at = parent.graph(graph.name());
        GraphProto.Builder builder = GraphProto.newBuilder().setName(graph.name());
        if (!graph.docString().isEmpty()) {
            builder.setDocString(graph.docString());
        }
        for (Value value : graph.initializers().values()) {
            if (value.initializer() != null) {
                builder.addInitializer(tensors.encode(value.initializer(), value.name(),
                        at.tensor("initializer", value.name())));
            } else {
                builder.addSparseInitializer(tensors.encodeSparse(value.sparseInitializer(), value.name(),
                        at.tensor("sparse_initializer", value.name())));
            }
        }
        for (Value input : graph.inputs()) {
            builder.addInput(valueInfo(input, at));
        }
        Set<Value> outputs = Collections.newSetFromMap(new IdentityHashMap<>());
        outputs.addAll(graph.outputs());
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            builder.addNode(node(node, at.node(i, node.name(), node.domain(), node.opType())));
            for (Value output : node.outputs()) {
                if (output != null && !outputs.contains(output) && carriesInfo(output)) {
                    builder.addValueInfo(valueInfo(output, at));
                }
            }
        }
        for (Value output : graph.outputs()) {
            builder.addOutput(valueInfo(output, at));
        }
        graph.quantizationAnnotations().forEach((tensorName, annotation) -> builder.addQuantizationAnnotation(
                TensorAnnotation.newBuilder()
                        .setTensorName(tensorName)
                        .addAllQuantParameterTensorNames(StringEntries.of(annotation.parameterTensors()))));
        builder.addAllMetadataProps(StringEntries.of(graph.metadataProps()));
        return OpaqueFieldCodec.restore(builder, graph.opaqueFields(), at).build();
    }

    private NodeProto node(Node node, Where at) {
        NodeProto.Builder builder = NodeProto.newBuilder().setOpType(node.opType());
        for (int i = 0; i < node.inputs().size(); i++) {
            Value input = node.input(i);
            if (input != null && input.name().isEmpty()) {
                throw at.fail("input " + i + " is a value with an empty name, which ONNX reads as an omitted input");
            }
            builder.addInput(input == null ? "" : input.name());
        }
        for (Value output : node.outputs()) {
            builder.addOutput(output == null ? "" : output.name());
        }
        if (!node.name().isEmpty()) {
            builder.setName(node.name());
        }
        if (!node.domain().isEmpty()) {
            builder.setDomain(node.domain());
        }
        if (!node.overload().isEmpty()) {
            builder.setOverload(node.overload());
        }
        for (Attribute attribute : node.attributes().values()) {
            builder.addAttribute(attributes.encode(attribute, at.attribute(attribute.name()), this::graph));
        }
        if (!node.docString().isEmpty()) {
            builder.setDocString(node.docString());
        }
        builder.addAllMetadataProps(StringEntries.of(node.metadataProps()));
        return OpaqueFieldCodec.restore(builder, node.opaqueFields(), at).build();
    }

    private FunctionProto function(Function function) {
        Where at = where.then("function '" + function.name() + "'");
        Graph body = function.body();
        FunctionProto.Builder builder = FunctionProto.newBuilder()
                .setName(function.name())
                .setDomain(function.domain());
        if (!function.overload().isEmpty()) {
            builder.setOverload(function.overload());
        }
        body.inputs().forEach(input -> builder.addInput(input.name()));
        body.outputs().forEach(output -> builder.addOutput(output.name()));
        builder.addAllAttribute(function.attributeNames());
        for (Attribute attribute : function.attributeDefaults()) {
            builder.addAttributeProto(attributes.encode(attribute, at.attribute(attribute.name()), this::graph));
        }
        List<Node> nodes = body.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            builder.addNode(node(node, at.node(i, node.name(), node.domain(), node.opType())));
        }
        // A function has no other place for the types of its parameters, so they go here too.
        for (Value input : body.inputs()) {
            if (carriesInfo(input)) {
                builder.addValueInfo(valueInfo(input, at));
            }
        }
        for (Node node : nodes) {
            for (Value output : node.outputs()) {
                if (output != null && carriesInfo(output)) {
                    builder.addValueInfo(valueInfo(output, at));
                }
            }
        }
        addOpsets(function.opsetImports(), builder::addOpsetImport);
        if (!function.docString().isEmpty()) {
            builder.setDocString(function.docString());
        }
        builder.addAllMetadataProps(StringEntries.of(function.metadataProps()));
        return OpaqueFieldCodec.restore(builder, function.opaqueFields(), at).build();
    }

    private TrainingInfoProto trainingInfo(TrainingInfo info, Where at) {
        TrainingInfoProto.Builder builder = TrainingInfoProto.newBuilder();
        if (info.initialization() != null) {
            builder.setInitialization(graph(info.initialization(), at.then("initialization")));
        }
        if (info.algorithm() != null) {
            builder.setAlgorithm(graph(info.algorithm(), at.then("algorithm")));
        }
        builder.addAllInitializationBinding(StringEntries.of(info.initializationBindings()));
        builder.addAllUpdateBinding(StringEntries.of(info.updateBindings()));
        return OpaqueFieldCodec.restore(builder, info.opaqueFields(), at).build();
    }

    private static boolean carriesInfo(Value value) {
        return value.type() != null || !value.docString().isEmpty() || !value.metadataProps().isEmpty()
                || !value.opaqueFields().isEmpty();
    }

    private static ValueInfoProto valueInfo(Value value, Where graph) {
        ValueInfoProto.Builder builder = ValueInfoProto.newBuilder().setName(value.name());
        if (value.type() != null) {
            builder.setType(TypeCodec.encode(value.type()));
        }
        if (!value.docString().isEmpty()) {
            builder.setDocString(value.docString());
        }
        builder.addAllMetadataProps(StringEntries.of(value.metadataProps()));
        return OpaqueFieldCodec.restore(builder, value.opaqueFields(), graph.then("value '" + value.name() + "'"))
                .build();
    }

    private static void addOpsets(Map<String, Long> opsets, java.util.function.Consumer<OperatorSetIdProto> sink) {
        opsets.forEach((domain, version) ->
                sink.accept(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version).build()));
    }
}
