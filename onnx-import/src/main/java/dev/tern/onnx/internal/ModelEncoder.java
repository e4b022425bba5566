package dev.tern.onnx.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Function;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import dev.tern.onnx.internal.proto.OnnxProtos.FunctionProto;
import dev.tern.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import dev.tern.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link Model} into a {@code ModelProto}. The output depends only on the IR, in its
 * iteration orders, so encoding the same model twice gives the same bytes. Every intermediate
 * value with a known type (or docs) gets a {@code value_info} entry.
 */
public final class ModelEncoder {
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
     *     which ONNX would take for an omitted input
     */
    public ModelProto encode(Model model) {
        ModelProto.Builder builder = ModelProto.newBuilder()
                .setIrVersion(model.irVersion())
                .setProducerName(model.producerName())
                .setProducerVersion(model.producerVersion())
                .setDomain(model.domain())
                .setModelVersion(model.modelVersion())
                .setDocString(model.docString())
                .setGraph(graph(model.graph(), where));
        addOpsets(model.opsetImports(), builder::addOpsetImport);
        builder.addAllMetadataProps(entries(model.metadataProps()));
        for (Function function : model.functions()) {
            builder.addFunctions(function(function));
        }
        return builder.build();
    }

    private GraphProto graph(Graph graph, Where parent) {
        Where at = parent.graph(graph.name());
        GraphProto.Builder builder = GraphProto.newBuilder().setName(graph.name());
        if (!graph.docString().isEmpty()) {
            builder.setDocString(graph.docString());
        }
        for (Value value : graph.initializers().values()) {
            if (value.initializer() != null) {
                builder.addInitializer(tensors.encode(value.initializer(), value.name()));
            } else {
                builder.addSparseInitializer(tensors.encodeSparse(value.sparseInitializer(), value.name()));
            }
        }
        for (Value input : graph.inputs()) {
            builder.addInput(valueInfo(input));
        }
        Set<Value> outputs = Collections.newSetFromMap(new IdentityHashMap<>());
        outputs.addAll(graph.outputs());
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            builder.addNode(node(node, at.node(i, node.name(), node.domain(), node.opType())));
            for (Value output : node.outputs()) {
                if (output != null && !outputs.contains(output) && carriesInfo(output)) {
                    builder.addValueInfo(valueInfo(output));
                }
            }
        }
        for (Value output : graph.outputs()) {
            builder.addOutput(valueInfo(output));
        }
        builder.addAllMetadataProps(entries(graph.metadataProps()));
        return builder.build();
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
        builder.addAllMetadataProps(entries(node.metadataProps()));
        return builder.build();
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
                builder.addValueInfo(valueInfo(input));
            }
        }
        for (Node node : nodes) {
            for (Value output : node.outputs()) {
                if (output != null && carriesInfo(output)) {
                    builder.addValueInfo(valueInfo(output));
                }
            }
        }
        addOpsets(function.opsetImports(), builder::addOpsetImport);
        if (!function.docString().isEmpty()) {
            builder.setDocString(function.docString());
        }
        builder.addAllMetadataProps(entries(function.metadataProps()));
        return builder.build();
    }

    private static boolean carriesInfo(Value value) {
        return value.type() != null || !value.docString().isEmpty() || !value.metadataProps().isEmpty();
    }

    private static ValueInfoProto valueInfo(Value value) {
        ValueInfoProto.Builder builder = ValueInfoProto.newBuilder().setName(value.name());
        if (value.type() != null) {
            builder.setType(TypeCodec.encode(value.type()));
        }
        if (!value.docString().isEmpty()) {
            builder.setDocString(value.docString());
        }
        builder.addAllMetadataProps(entries(value.metadataProps()));
        return builder.build();
    }

    private static void addOpsets(Map<String, Long> opsets, java.util.function.Consumer<OperatorSetIdProto> sink) {
        opsets.forEach((domain, version) ->
                sink.accept(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version).build()));
    }

    private static List<StringStringEntryProto> entries(Map<String, String> map) {
        return map.entrySet().stream()
                .map(e -> StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build())
                .toList();
    }
}
