package dev.tern.cli.internal;

import dev.tern.compress.CombineMode;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code tern ensemble} wrote: its members, how it combines them, and the merged graph's
 * inputs, outputs and node count.
 *
 * @param weights the weights as given, or an empty list when the mode takes none
 */
record EnsembleReport(List<String> members, String mode, List<Double> weights, List<String> inputs,
                      List<String> outputs, int nodes, String output) {

    static EnsembleReport of(List<Path> members, CombineMode mode, List<Double> weights, Model ensemble, Path output) {
        return new EnsembleReport(members.stream().map(Path::toString).toList(), mode.name().toLowerCase(Locale.ROOT),
                weights == null ? List.of() : List.copyOf(weights), names(ensemble.graph().inputs()),
                names(ensemble.graph().outputs()), ensemble.graph().nodeCount(), output.toString());
    }

    private static List<String> names(List<Value> values) {
        return values.stream().map(Value::name).toList();
    }

    String toText() {
        return "members: " + String.join(", ", members) + "\n"
                + "mode: " + mode + (weights.isEmpty() ? "" : ", weights " + weights) + "\n"
                + "inputs: " + String.join(", ", inputs) + "\n"
                + "outputs: " + String.join(", ", outputs) + "\n"
                + "nodes: " + nodes + "\n"
                + "wrote " + output;
    }

    String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("members", members);
        root.put("mode", mode);
        root.put("weights", weights);
        root.put("inputs", inputs);
        root.put("outputs", outputs);
        root.put("nodes", nodes);
        root.put("output", output);
        return Json.write(root);
    }
}
