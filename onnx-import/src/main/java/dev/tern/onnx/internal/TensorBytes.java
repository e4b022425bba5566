package dev.tern.onnx.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Function;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.SparseTensor;
import dev.tern.ir.Tensor;
import dev.tern.ir.TrainingInfo;
import dev.tern.ir.Value;

/**
 * Counts the tensor bytes a model would carry inline, to decide before encoding whether it
 * fits one protobuf message (2 GiB) or needs external data.
 */
public final class TensorBytes {
    /**
     * Tensor bytes above which a model goes to external data: 2 GiB less a reserve for the
     * graph structure around the tensors.
     */
    public static final long INLINE_LIMIT = Integer.MAX_VALUE - (64L << 20);

    private TensorBytes() {
    }

    /** Bytes of all tensors in the model: initializers, attribute tensors, subgraphs, functions and training info. */
    public static long of(Model model) {
        long total = of(model.graph());
        for (Function function : model.functions()) {
            total += of(function.body());
            for (Attribute attribute : function.attributeDefaults()) {
                total += of(attribute);
            }
        }
        for (TrainingInfo info : model.trainingInfo()) {
            total += info.initialization() == null ? 0 : of(info.initialization());
            total += info.algorithm() == null ? 0 : of(info.algorithm());
        }
        return total;
    }

    private static long of(Graph graph) {
        long total = 0;
        for (Value value : graph.initializers().values()) {
            total += value.initializer() != null ? of(value.initializer()) : of(value.sparseInitializer());
        }
        for (Node node : graph.nodes()) {
            for (Attribute attribute : node.attributes().values()) {
                total += of(attribute);
            }
        }
        return total;
    }

    private static long of(Attribute attribute) {
        if (attribute.isReference()) {
            return 0;
        }
        return switch (attribute.type()) {
            case TENSOR -> of(attribute.asTensor());
            case TENSORS -> attribute.asTensors().stream().mapToLong(TensorBytes::of).sum();
            case SPARSE_TENSOR -> of(attribute.asSparseTensor());
            case SPARSE_TENSORS -> attribute.asSparseTensors().stream().mapToLong(TensorBytes::of).sum();
            case GRAPH -> of(attribute.asGraph());
            case GRAPHS -> attribute.asGraphs().stream().mapToLong(TensorBytes::of).sum();
            default -> 0;
        };
    }

    private static long of(Tensor tensor) {
        return tensor.byteSize();
    }

    private static long of(SparseTensor tensor) {
        return tensor.values().byteSize() + tensor.indices().byteSize();
    }
}
