package dev.tern.ir.passes;

import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.QuantizationAnnotation;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges initializers of one graph that hold the same tensor (element type, dimensions and
 * bytes): readers of a later one read the first instead, and the later one is removed. Applied
 * to the main graph and every subgraph, each on its own. Left alone: sparse initializers,
 * initializers that are also graph inputs (a caller may feed each its own value), and
 * initializers a quantization annotation names (annotations refer to tensors by name). Each
 * tensor's bytes are read once to hash them. In place.
 */
public final class DuplicateInitializerMerging extends Pass {
    @Override
    public String name() {
        return "duplicate-initializers";
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    protected boolean run(Model model) {
        return merge(model.graph());
    }

    private static boolean merge(Graph graph) {
        boolean changed = false;
        for (Node node : graph.nodes()) {
            for (Graph subgraph : node.subgraphs()) {
                changed |= merge(subgraph);
            }
        }
        Set<String> annotated = annotatedNames(graph);
        Set<Value> inputs = new HashSet<>(graph.inputs());
        Map<Content, Value> firstByContent = new HashMap<>();
        GraphEditor editor = GraphEditor.of(graph);
        for (Value initializer : List.copyOf(graph.initializers().values())) {
            Tensor tensor = initializer.initializer();
            if (tensor == null || inputs.contains(initializer) || annotated.contains(initializer.name())) {
                continue;
            }
            Value first = firstByContent.putIfAbsent(new Content(tensor), initializer);
            if (first != null) {
                editor.replaceAllUsesWith(initializer, first);
                graph.removeInitializer(initializer.name());
                changed = true;
            }
        }
        return changed;
    }

    private static Set<String> annotatedNames(Graph graph) {
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, QuantizationAnnotation> entry : graph.quantizationAnnotations().entrySet()) {
            names.add(entry.getKey());
            names.addAll(entry.getValue().parameterTensors().values());
        }
        return names;
    }

    /** A tensor as a hash key by content: type, dimensions and elements. */
    private static final class Content {
        private final Tensor tensor;
        private final int hash;

        Content(Tensor tensor) {
            this.tensor = tensor;
            int elements = tensor.elementType().isFixedWidth()
                    ? tensor.data().hashCode()
                    : tensor.strings().stream().mapToInt(Arrays::hashCode).reduce(17, (a, b) -> 31 * a + b);
            this.hash = 31 * (31 * tensor.elementType().hashCode() + Arrays.hashCode(tensor.dims())) + elements;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Content other && hash == other.hash && tensor.contentEquals(other.tensor);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
