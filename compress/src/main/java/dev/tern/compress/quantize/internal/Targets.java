package dev.tern.compress.quantize.internal;

import dev.tern.compress.quantize.QuantizationException;
import dev.tern.compress.quantize.QuantizationSettings;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes of a model's main graph a quantization rewrites: those of a quantizable op type
 * whose weight is a constant float the rewrite can handle, less the excluded op types and node
 * names (an unnamed node goes by its first output's name). The same model and settings always
 * give the same nodes in graph order.
 */
public final class Targets {
    private Targets() {
    }

    /** The MatMul, Gemm and Gather nodes dynamic quantization rewrites. */
    public static List<Node> dynamic(Model model, QuantizationSettings settings) {
        return select(model.graph(), settings, true);
    }

    /** The Conv, MatMul and Gemm nodes static QDQ quantization rewrites. */
    public static List<Node> qdq(Model model, QuantizationSettings settings) {
        return select(model.graph(), settings, false);
    }

    /**
     * Checks that every excluded op type or node name matches some node of the main graph.
     *
     * @throws QuantizationException listing the names that match nothing
     */
    public static void requireExclusionsMatch(Model model, QuantizationSettings settings) {
        Set<String> present = new TreeSet<>();
        for (Node node : model.graph().nodes()) {
            present.add(node.opType());
            present.add(NodeEmitter.baseName(node));
        }
        List<String> unmatched = settings.exclude().stream().filter(name -> !present.contains(name)).sorted().toList();
        if (!unmatched.isEmpty()) {
            throw new QuantizationException("model graph '" + model.graph().name() + "': excluded " + unmatched
                    + " match no node's op type or name");
        }
    }

    private static List<Node> select(Graph graph, QuantizationSettings settings, boolean dynamic) {
        List<Node> targets = new ArrayList<>();
        for (Node node : graph.nodes()) {
            if (node.domain().isEmpty() && !settings.excludes(node.opType(), NodeEmitter.baseName(node))
                    && (dynamic ? isDynamicTarget(graph, node) : isQdqTarget(graph, node))) {
                targets.add(node);
            }
        }
        return targets;
    }

    private static boolean isDynamicTarget(Graph graph, Node node) {
        return switch (node.opType()) {
            case "MatMul" -> hasMatrixWeight(graph, node, 1);
            case "Gemm" -> isPlainGemm(graph, node);
            case "Gather" -> Weights.isConstantFloat(graph, node.input(0));
            default -> false;
        };
    }

    private static boolean isQdqTarget(Graph graph, Node node) {
        return switch (node.opType()) {
            case "Conv" -> node.inputs().size() >= 2 && Weights.isConstantFloat(graph, node.input(1))
                    && (node.inputs().size() < 3 || node.input(2) == null
                        || Weights.isConstantFloat(graph, node.input(2)));
            case "MatMul" -> hasMatrixWeight(graph, node, 1);
            case "Gemm" -> isPlainGemm(graph, node);
            default -> false;
        };
    }

    private static boolean hasMatrixWeight(Graph graph, Node node, int index) {
        return node.inputs().size() > index
                && Weights.isConstantFloat(graph, node.input(index))
                && node.input(index).initializer().rank() == 2
                && !Weights.isConstantFloat(graph, node.input(0));
    }

    /** A Gemm whose A is not transposed, B is a constant matrix and C, if any, is constant. */
    private static boolean isPlainGemm(Graph graph, Node node) {
        boolean transA = node.attribute("transA").map(a -> a.asInt() != 0).orElse(false);
        boolean constantBias = node.inputs().size() < 3 || node.input(2) == null
                || Weights.isConstantFloat(graph, node.input(2));
        return !transA && hasMatrixWeight(graph, node, 1) && constantBias;
    }
}
