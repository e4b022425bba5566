package dev.tern.cli.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code tern run} reports: the sizes it chose for symbolic dimensions of generated
 * inputs (marking defaults), where each input came from, and one line per output.
 *
 * @param adapter the LoRA adapter applied, or null
 * @param dims every non-fixed dimension of a generated input, with its size
 * @param defaulted the names in {@code dims} nobody gave a size for
 */
record RunReport(Path model, Path adapter, Map<String, Long> dims, Set<String> defaulted, List<InputEntry> inputs,
                 List<OutputEntry> outputs) {

    /** One input: its type as fed, and the file it came from or "random". */
    record InputEntry(String name, Map<String, Object> type, String source) {
    }

    /**
     * One output.
     *
     * @param statistics null for an output that is not a tensor
     * @param file where it was written, or null
     * @param notWritten why an output was not written although asked, or null
     */
    record OutputEntry(String name, String typeText, Map<String, Object> typeJson, TensorStatistics statistics,
                       Path file, String notWritten) {
    }

    /** Text: an "adapter" line with one, a "dimensions" line if any were chosen, then one line per output. */
    void printText(PrintWriter out) {
        if (adapter != null) {
            out.println("adapter     " + adapter);
        }
        if (!dims.isEmpty()) {
            List<String> sizes = new ArrayList<>();
            dims.forEach((name, size) -> sizes.add(name + "=" + size + (defaulted.contains(name) ? " (default)" : "")));
            out.println("dimensions  " + String.join(", ", sizes)
                    + (defaulted.isEmpty() ? "" : "; set them with --dim NAME=SIZE"));
        }
        int nameWidth = outputs.stream().mapToInt(output -> output.name().length()).max().orElse(0);
        int typeWidth = outputs.stream().mapToInt(output -> output.typeText().length()).max().orElse(0);
        for (OutputEntry output : outputs) {
            StringBuilder line = new StringBuilder();
            line.append(String.format("%-" + nameWidth + "s  %-" + typeWidth + "s  ", output.name(), output.typeText()));
            line.append(output.statistics() == null ? "not a tensor" : output.statistics().text());
            if (output.file() != null) {
                line.append("  -> ").append(output.file());
            }
            if (output.notWritten() != null) {
                line.append("  (not written: ").append(output.notWritten()).append(')');
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** One JSON object with the model, dimensions, inputs and outputs. */
    String json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.toString());
        json.put("adapter", adapter == null ? null : adapter.toString());
        Map<String, Object> dimensions = new LinkedHashMap<>();
        dims.forEach((name, size) -> {
            Map<String, Object> dimension = new LinkedHashMap<>();
            dimension.put("size", size);
            dimension.put("defaulted", defaulted.contains(name));
            dimensions.put(name, dimension);
        });
        json.put("dimensions", dimensions);
        List<Object> inputList = new ArrayList<>();
        for (InputEntry input : inputs) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", input.name());
            entry.putAll(input.type());
            entry.put("source", input.source());
            inputList.add(entry);
        }
        json.put("inputs", inputList);
        List<Object> outputList = new ArrayList<>();
        for (OutputEntry output : outputs) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", output.name());
            entry.putAll(output.typeJson());
            if (output.statistics() != null) {
                entry.putAll(output.statistics().json());
            }
            entry.put("file", output.file() == null ? null : output.file().toString());
            if (output.notWritten() != null) {
                entry.put("notWritten", output.notWritten());
            }
            outputList.add(entry);
        }
        json.put("outputs", outputList);
        return Json.write(json);
    }
}
