package dev.tern.compress.quantize;

import dev.tern.ir.Model;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A quantized model and the nodes of the float model that were quantized.
 *
 * @param model the quantized model
 * @param quantizedNodes the float model's nodes that were rewritten, described as "'name' (Op)", in graph order
 * @param quantizedOpTypes how many nodes of each op type were rewritten, by op type
 */
public record QuantizationResult(Model model, List<String> quantizedNodes, Map<String, Integer> quantizedOpTypes) {
    /** @throws NullPointerException if an argument is null */
    public QuantizationResult {
        Objects.requireNonNull(model, "model");
        quantizedNodes = List.copyOf(quantizedNodes);
        quantizedOpTypes = Collections.unmodifiableMap(new TreeMap<>(quantizedOpTypes));
    }
}
