package dev.tern.exec.internal;

import ai.onnxruntime.OrtException;
import dev.tern.exec.OptimizationLevel;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which initializers must stay inline in the serialized model although they could be
 * shared in place. ONNX Runtime 1.29 hands most rewrites the tensor given with
 * {@code addInitializer}, but its NCHWc layout transformer (optimization level ALL) reads
 * Conv and ConvTranspose weights, and the BatchNormalization parameters it folds into them,
 * from the serialized graph, where a shared weight is only an external reference; session
 * creation then fails with "External initializer: NAME ... file_length: 0". So does constant
 * folding (every level above NONE) for a node whose inputs are all initializers, such as the
 * Transpose of a frozen weight in a training graph that sends gradients through it. Those
 * weights are kept inline up front, and any other initializer such a message names is inlined
 * on a retry (which costs a session creation each).
 *
 * <p>Not a graph pass: the graph stays as it is. What changes is how {@link SharedWeights}
 * serializes it for ONNX Runtime (bytes inline, or an external reference filled through
 * {@code addInitializer}), a choice the IR has no place for.
 */
public final class WeightInlining {
    /** Ops whose constant inputs the layout transformer reads from the graph. */
    private static final Set<String> READ_FROM_GRAPH_AT_ALL = Set.of("Conv", "ConvTranspose", "BatchNormalization");
    private static final Pattern NAMED = Pattern.compile("External initializer: (\\S+) offset");

    private WeightInlining() {
    }

    /** The initializers to keep inline before the first attempt at {@code level}. */
    public static Set<String> upfront(Graph graph, OptimizationLevel level) {
        Set<String> inline = new HashSet<>();
        if (level == OptimizationLevel.NONE) {
            return inline;
        }
        Set<Value> graphInputs = new HashSet<>(graph.inputs());
        for (Node node : graph.nodes()) {
            boolean layout = level == OptimizationLevel.ALL && node.domain().isEmpty()
                    && READ_FROM_GRAPH_AT_ALL.contains(node.opType());
            if (layout || isFoldable(node, graphInputs)) {
                for (Value input : node.inputs()) {
                    if (input != null && input.initializer() != null) {
                        inline.add(input.name());
                    }
                }
            }
        }
        return inline;
    }

    /** Whether constant folding evaluates {@code node}: it has inputs and all are initializers no run overrides. */
    private static boolean isFoldable(Node node, Set<Value> graphInputs) {
        boolean any = false;
        for (Value input : node.inputs()) {
            if (input == null) {
                continue;
            }
            if (input.initializer() == null || graphInputs.contains(input)) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /**
     * The initializer an ONNX Runtime failure says it could not read from the graph, if the
     * failure is of that kind.
     */
    public static Optional<String> unreadInitializer(OrtException failure) {
        String message = String.valueOf(failure.getMessage());
        Matcher matcher = NAMED.matcher(message);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
