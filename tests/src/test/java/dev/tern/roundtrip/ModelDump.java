package dev.tern.roundtrip;

import dev.tern.ir.Attribute;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A canonical text form of a model, so two models can be compared field by field and a
 * difference shows up as a readable diff.
 */
final class ModelDump {
    private ModelDump() {
    }

    static String of(Model model) {
        StringBuilder out = new StringBuilder();
        out.append("ir ").append(model.irVersion()).append(" opsets ").append(model.opsetImports())
                .append(" producer ").append(model.producerName()).append(' ').append(model.producerVersion())
                .append(" doc ").append(model.docString()).append(" meta ").append(model.metadataProps()).append('\n');
        graph(out, model.graph(), "");
        return out.toString();
    }

    private static void graph(StringBuilder out, Graph graph, String indent) {
        out.append(indent).append("graph ").append(graph.name()).append(" doc ").append(graph.docString()).append('\n');
        for (Value input : graph.inputs()) {
            out.append(indent).append("  input ").append(value(input)).append('\n');
        }
        for (Value init : graph.initializers().values()) {
            out.append(indent).append("  init ").append(init.name()).append(' ').append(tensor(init.initializer())).append('\n');
        }
        for (Node node : graph.nodes()) {
            out.append(indent).append("  node ").append(node.describe()).append(" in ")
                    .append(node.inputs().stream().map(v -> v == null ? "-" : v.name()).toList())
                    .append(" out ").append(node.outputs().stream().map(v -> v == null ? "-" : value(v)).toList())
                    .append('\n');
            for (Attribute attribute : node.attributes().values()) {
                out.append(indent).append("    attr ").append(attribute.name()).append(' ').append(attribute.type())
                        .append(' ');
                attributeValue(out, attribute, indent + "      ");
                out.append('\n');
            }
        }
        for (Value output : graph.outputs()) {
            out.append(indent).append("  output ").append(value(output)).append('\n');
        }
    }

    private static void attributeValue(StringBuilder out, Attribute attribute, String indent) {
        if (attribute.isReference()) {
            out.append("@").append(attribute.refAttrName());
            return;
        }
        switch (attribute.type()) {
            case FLOAT -> out.append(attribute.asFloat());
            case INT -> out.append(attribute.asInt());
            case STRING -> out.append(attribute.asString());
            case FLOATS -> out.append(Arrays.toString(attribute.asFloats()));
            case INTS -> out.append(Arrays.toString(attribute.asInts()));
            case STRINGS -> out.append(attribute.asStrings());
            case TENSOR -> out.append(tensor(attribute.asTensor()));
            case TENSORS -> out.append(attribute.asTensors().stream().map(ModelDump::tensor).toList());
            case TYPE_PROTO -> out.append(attribute.asType());
            case TYPE_PROTOS -> out.append(attribute.asTypes());
            case SPARSE_TENSOR -> out.append(attribute.asSparseTensor());
            case SPARSE_TENSORS -> out.append(attribute.asSparseTensors());
            case GRAPH -> subgraphs(out, List.of(attribute.asGraph()), indent);
            case GRAPHS -> subgraphs(out, attribute.asGraphs(), indent);
        }
    }

    private static void subgraphs(StringBuilder out, List<Graph> graphs, String indent) {
        out.append('\n');
        graphs.forEach(g -> graph(out, g, indent));
    }

    private static String value(Value value) {
        return value.name() + ":" + value.type();
    }

    private static String tensor(Tensor tensor) {
        String content = tensor.elementType() == dev.tern.ir.ElementType.STRING
                ? tensor.strings().stream().map(s -> new String(s, StandardCharsets.UTF_8)).collect(Collectors.joining("|"))
                : hex(tensor);
        return tensor.name() + ":" + tensor.elementType() + Arrays.toString(tensor.dims()) + "=" + content;
    }

    private static String hex(Tensor tensor) {
        java.nio.ByteBuffer data = tensor.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
