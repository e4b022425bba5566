package dev.tern.cli.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code tern optimize} did: the passes it ran and the model's size before and after.
 *
 * @param modified whether any pass changed the model
 */
record OptimizeReport(String input, String output, List<String> passes, boolean modified, Counts before,
                      Counts after) {

    /**
     * The size of a model.
     *
     * @param nodes nodes of the main graph and all its subgraphs
     * @param initializers initializers of the main graph and all its subgraphs
     */
    record Counts(int nodes, int initializers) {
        static Counts of(Model model) {
            Graph graph = model.graph();
            int initializers = graph.initializers().size();
            for (Node node : graph.allNodes()) {
                for (Graph subgraph : node.subgraphs()) {
                    initializers += subgraph.initializers().size();
                }
            }
            return new Counts(graph.allNodes().size(), initializers);
        }
    }

    String toText() {
        return "passes: " + String.join(", ", passes) + "\n"
                + "nodes: " + before.nodes() + " -> " + after.nodes() + "\n"
                + "initializers: " + before.initializers() + " -> " + after.initializers() + "\n"
                + (modified ? "wrote " : "unchanged, wrote ") + output;
    }

    String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("input", input);
        root.put("output", output);
        root.put("passes", passes);
        root.put("modified", modified);
        root.put("nodes", beforeAfter(before.nodes(), after.nodes()));
        root.put("initializers", beforeAfter(before.initializers(), after.initializers()));
        return Json.write(root);
    }

    private static Map<String, Object> beforeAfter(int before, int after) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("before", before);
        counts.put("after", after);
        return counts;
    }
}
