package dev.tern.compress.prune.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Value;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights pruning works on: the float32 kernel initializers of Conv (input 1), Gemm
 * (input B) and MatMul (input 1, rank 2) nodes. Biases and normalization parameters are few
 * and sensitive, so they are left alone, as in Zhu and Gupta's and PyTorch's magnitude pruning.
 */
public final class LayerWeights {
    private LayerWeights() {
    }

    /** Each layer weight by name, with the first node that reads it, in graph order. */
    public static Map<String, Node> of(Model model) {
        Graph graph = model.graph();
        Map<String, Node> weights = new LinkedHashMap<>();
        for (Node node : graph.nodes()) {
            Value weight = kernel(node);
            if (weight != null && isFloatInitializer(graph, weight)) {
                weights.putIfAbsent(weight.name(), node);
            }
        }
        return weights;
    }

    /** The node's kernel input if it is a Conv, Gemm or MatMul with one, else null. */
    public static Value kernel(Node node) {
        if (!node.domain().isEmpty() || node.inputs().size() < 2) {
            return null;
        }
        return switch (node.opType()) {
            case "Conv", "Gemm" -> node.input(1);
            case "MatMul" -> node.input(1) != null && node.input(1).initializer() != null
                    && node.input(1).initializer().rank() == 2 ? node.input(1) : null;
            default -> null;
        };
    }

    private static boolean isFloatInitializer(Graph graph, Value value) {
        return value != null && graph.initializers().get(value.name()) == value && value.initializer() != null
                && value.initializer().elementType() == ElementType.FLOAT;
    }
}
