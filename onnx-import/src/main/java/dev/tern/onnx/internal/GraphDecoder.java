package dev.tern.onnx.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.QuantizationAnnotation;
import dev.tern.ir.SparseTensor;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.tern.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.SparseTensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorAnnotation;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code GraphProto}s (and function bodies) into {@link Graph}s, resolving value names
 * to shared {@link Value} objects. Names are resolved in two passes, first creating every node
 * output and then wiring inputs, so a node may read a value produced further down (unsorted
 * files exist). A subgraph sees the values of the graphs around it: a name it does not define
 * resolves to the enclosing graph's very {@code Value}. Fields the IR does not interpret
 * (unknown fields, a node's device configurations) go into each object's opaque fields.
 */
final class GraphDecoder {
    /** Subgraph nesting accepted; real models use a handful of levels. */
    static final int MAX_SUBGRAPH_DEPTH = 64;

    private final TensorDecoder tensors;
    private final AttributeDecoder attributes;

    GraphDecoder(TensorDecoder tensors) {
        this.tensors = tensors;
        this.attributes = new AttributeDecoder(tensors);
    }

    /** Decodes a graph that sees no enclosing values: a model's main graph or a function's attribute default. */
    Graph decodeMain(GraphProto proto, Where where) {
        return decode(proto, Scope.root(), where, 0);
    }

    /**
     * Decodes a graph that may read values defined elsewhere (a training step reads the
     * inference graph's): each name it reads but does not define becomes a free value.
     */
    Graph decodeDetached(GraphProto proto, Where where) {
        return decode(proto, Scope.open(), where, 0);
    }

    /**
     * Decodes a function body whose inputs and outputs are the formal parameters.
     *
     * @param valueInfos types and docs for any of the body's values
     */
    Graph decodeFunctionBody(String name, List<String> inputs, List<String> outputs, List<NodeProto> nodes,
                             List<ValueInfoProto> valueInfos, Where where) {
        Graph body = new Graph(name);
        Scope scope = Scope.root();
        for (String input : inputs) {
            if (input.isEmpty() || scope.local(input) != null) {
                throw where.fail("input '" + input + "' is empty or listed twice");
            }
            Value value = new Value(input);
            scope.define(input, value);
            body.addInput(value);
        }
        decodeNodes(nodes, body, scope, where, 0);
        applyValueInfos(valueInfos, scope, where);
        for (String output : outputs) {
            Value value = scope.local(output);
            if (value == null) {
                throw where.fail("output '" + output + "' is neither an input nor a node output of the body");
            }
            body.addOutput(value);
        }
        return body;
    }

    private Graph decode(GraphProto proto, Scope outer, Where parent, int depth) {
        Where where = parent.graph(proto.getName());
        if (depth > MAX_SUBGRAPH_DEPTH) {
            throw where.fail("subgraphs are nested more than " + MAX_SUBGRAPH_DEPTH + " levels deep");
        }
        Graph graph = new Graph(proto.getName());
        graph.setDocString(proto.getDocString());
        StringEntries.putAll(graph.metadataProps(), proto.getMetadataPropsList());
        for (TensorAnnotation annotation : proto.getQuantizationAnnotationList()) {
            graph.quantizationAnnotations().put(annotation.getTensorName(),
                    new QuantizationAnnotation(StringEntries.toMap(annotation.getQuantParameterTensorNamesList())));
        }
        graph.setOpaqueFields(OpaqueFieldCodec.unknownFieldsOf(proto));
        Scope scope = outer.child();
        for (int i = 0; i < proto.getInitializerCount(); i++) {
            TensorProto initializer = proto.getInitializer(i);
            String name = requireName(initializer.getName(), "initializer", i, scope, where);
            Tensor tensor = tensors.decode(initializer, where.tensor("initializer", name));
            define(graph, scope, Value.constant(name, tensor));
        }
        for (int i = 0; i < proto.getSparseInitializerCount(); i++) {
            SparseTensorProto initializer = proto.getSparseInitializer(i);
            String name = requireName(initializer.getValues().getName(), "sparse_initializer", i, scope, where);
            SparseTensor tensor = tensors.decodeSparse(initializer, where.tensor("sparse_initializer", name));
            define(graph, scope, Value.sparseConstant(name, tensor));
        }
        for (int i = 0; i < proto.getInputCount(); i++) {
            graph.addInput(input(proto.getInput(i), i, graph, scope, where));
        }
        decodeNodes(proto.getNodeList(), graph, scope, where, depth);
        applyValueInfos(proto.getValueInfoList(), scope, where);
        for (ValueInfoProto output : proto.getOutputList()) {
            Value value = scope.lookup(output.getName());
            if (value == null) {
                throw where.fail("output '" + output.getName() + "' names no input, initializer or node output");
            }
            ValueType declared = TypeCodec.decode(output.getType(), where.tensor("output", output.getName()));
            if (value.type() == null) {
                value.setType(declared);
            }
            applyDocs(value, output);
            graph.addOutput(value);
        }
        return graph;
    }

    private Value input(ValueInfoProto info, int index, Graph graph, Scope scope, Where where) {
        if (info.getName().isEmpty()) {
            throw where.fail("input #" + index + " has no name");
        }
        Where at = where.tensor("input", info.getName());
        ValueType declared = TypeCodec.decode(info.getType(), at);
        Value value = scope.local(info.getName());
        if (value != null && (!value.isInitializer() || graph.inputs().contains(value))) {
            throw at.fail("is listed twice among the graph's inputs");
        }
        if (value == null) {
            value = new Value(info.getName(), declared);
            scope.define(info.getName(), value);
        } else if (declared != null) {
            // An initializer that is also an input: the declared type is the graph's interface.
            value.setType(declared);
        }
        applyDocs(value, info);
        return value;
    }

    private void decodeNodes(List<NodeProto> nodes, Graph graph, Scope scope, Where where, int depth) {
        List<List<Value>> outputs = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            outputs.add(defineOutputs(nodes.get(i), nodeWhere(nodes.get(i), i, where), scope));
        }
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto proto = nodes.get(i);
            Where at = nodeWhere(proto, i, where);
            List<Value> inputs = new ArrayList<>(proto.getInputCount());
            for (int k = 0; k < proto.getInputCount(); k++) {
                inputs.add(resolveInput(proto.getInput(k), k, scope, at));
            }
            Map<String, Attribute> nodeAttributes = new LinkedHashMap<>();
            for (int k = 0; k < proto.getAttributeCount(); k++) {
                AttributeProto attribute = proto.getAttribute(k);
                Where attributeWhere = attribute.getName().isEmpty()
                        ? at.then("attribute #" + k) : at.attribute(attribute.getName());
                if (attribute.getName().isEmpty() || nodeAttributes.containsKey(attribute.getName())) {
                    throw attributeWhere.fail("attribute name is empty or repeated");
                }
                nodeAttributes.put(attribute.getName(), attributes.decode(attribute, attributeWhere,
                        (subgraph, subWhere) -> decode(subgraph, scope, subWhere, depth + 1)));
            }
            Node node = new Node(proto.getDomain(), proto.getOpType(), inputs, outputs.get(i), nodeAttributes.values());
            node.setName(proto.getName());
            node.setDocString(proto.getDocString());
            node.setOverload(proto.getOverload());
            StringEntries.putAll(node.metadataProps(), proto.getMetadataPropsList());
            node.setOpaqueFields(OpaqueFieldCodec.fieldsOf(NodeProto.newBuilder()
                    .addAllDeviceConfigurations(proto.getDeviceConfigurationsList())
                    .setUnknownFields(proto.getUnknownFields())
                    .build()));
            graph.appendNode(node);
        }
    }

    private static List<Value> defineOutputs(NodeProto proto, Where at, Scope scope) {
        List<Value> outputs = new ArrayList<>(proto.getOutputCount());
        for (String name : proto.getOutputList()) {
            if (name.isEmpty()) {
                outputs.add(null);
                continue;
            }
            if (scope.local(name) != null) {
                throw at.fail("output '" + name + "' is already defined in this graph (names must be unique)");
            }
            Value value = new Value(name);
            scope.define(name, value);
            outputs.add(value);
        }
        return outputs;
    }

    private static Value resolveInput(String name, int index, Scope scope, Where at) {
        if (name.isEmpty()) {
            return null;
        }
        Value value = scope.lookup(name);
        if (value == null) {
            throw at.fail("input " + index + " '" + name + "' names no graph input, initializer or node output"
                    + " of this graph or an enclosing one");
        }
        return value;
    }

    /** Sets types and docs from value_info on this graph's own values; entries naming anything else carry no meaning. */
    private static void applyValueInfos(List<ValueInfoProto> infos, Scope scope, Where where) {
        for (ValueInfoProto info : infos) {
            Value value = scope.local(info.getName());
            if (value != null) {
                ValueType type = TypeCodec.decode(info.getType(), where.tensor("value_info", info.getName()));
                if (type != null) {
                    value.setType(type);
                }
                applyDocs(value, info);
            }
        }
    }

    /** Copies what a value info says beside the type; a value may have several, and each adds what it has. */
    private static void applyDocs(Value value, ValueInfoProto info) {
        if (!info.getDocString().isEmpty()) {
            value.setDocString(info.getDocString());
        }
        StringEntries.putAll(value.metadataProps(), info.getMetadataPropsList());
        if (!info.getUnknownFields().asMap().isEmpty()) {
            value.setOpaqueFields(OpaqueFieldCodec.unknownFieldsOf(info));
        }
    }

    private static String requireName(String name, String role, int index, Scope scope, Where where) {
        if (name.isEmpty()) {
            throw where.fail(role + " #" + index + " has no name");
        }
        if (scope.local(name) != null) {
            throw where.tensor(role, name).fail("the name is used by another initializer of this graph");
        }
        return name;
    }

    private static void define(Graph graph, Scope scope, Value value) {
        scope.define(value.name(), value);
        graph.addInitializer(value);
    }

    private static Where nodeWhere(NodeProto proto, int index, Where where) {
        return where.node(index, proto.getName(), proto.getDomain(), proto.getOpType());
    }
}
