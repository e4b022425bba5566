package dev.tern.onnx.internal;

import dev.tern.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.FunctionProto;
import dev.tern.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.internal.proto.OnnxProtos.NodeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.SparseTensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TrainingInfoProto;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Lists the external data files a model refers to, without reading or checking them. */
public final class ExternalDataLocations {
    private final Set<String> locations = new LinkedHashSet<>();

    private ExternalDataLocations() {
    }

    /** The distinct {@code location}s of every external tensor, in the order they first appear. */
    public static List<String> of(ModelProto model) {
        ExternalDataLocations walker = new ExternalDataLocations();
        walker.graph(model.getGraph());
        for (FunctionProto function : model.getFunctionsList()) {
            function.getNodeList().forEach(walker::node);
            function.getAttributeProtoList().forEach(walker::attribute);
        }
        for (TrainingInfoProto info : model.getTrainingInfoList()) {
            walker.graph(info.getInitialization());
            walker.graph(info.getAlgorithm());
        }
        return List.copyOf(walker.locations);
    }

    private void graph(GraphProto graph) {
        graph.getInitializerList().forEach(this::tensor);
        graph.getSparseInitializerList().forEach(this::sparse);
        graph.getNodeList().forEach(this::node);
    }

    private void node(NodeProto node) {
        node.getAttributeList().forEach(this::attribute);
    }

    private void attribute(AttributeProto attribute) {
        if (attribute.hasT()) {
            tensor(attribute.getT());
        }
        if (attribute.hasSparseTensor()) {
            sparse(attribute.getSparseTensor());
        }
        if (attribute.hasG()) {
            graph(attribute.getG());
        }
        attribute.getTensorsList().forEach(this::tensor);
        attribute.getSparseTensorsList().forEach(this::sparse);
        attribute.getGraphsList().forEach(this::graph);
    }

    private void sparse(SparseTensorProto sparse) {
        tensor(sparse.getValues());
        tensor(sparse.getIndices());
    }

    private void tensor(TensorProto tensor) {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            locations.addAll(ExternalDataResolver.locations(tensor));
        }
    }
}
