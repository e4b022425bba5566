package dev.tern.cli.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code tern quantize} did: the mode, how many nodes of each op type it quantized, and the
 * file sizes before and after.
 *
 * @param mode "dynamic" or "static"
 * @param quantized nodes quantized, by op type
 */
record QuantizeReport(String input, String output, String mode, Map<String, Integer> quantized, long bytesBefore,
                      long bytesAfter) {

    int nodeCount() {
        return quantized.values().stream().mapToInt(Integer::intValue).sum();
    }

    String toText() {
        StringBuilder byOp = new StringBuilder();
        quantized.forEach((op, count) -> byOp.append(byOp.length() == 0 ? "" : ", ").append(op).append(' ').append(count));
        return String.format(Locale.ROOT, "quantized %d nodes (%s), %s%nsize: %,d -> %,d bytes (%.1f%%)%nwrote %s",
                nodeCount(), byOp, mode, bytesBefore, bytesAfter, 100.0 * bytesAfter / bytesBefore, output);
    }

    String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("input", input);
        root.put("output", output);
        root.put("mode", mode);
        root.put("quantized_nodes", nodeCount());
        root.put("quantized_by_op", quantized);
        root.put("bytes_before", bytesBefore);
        root.put("bytes_after", bytesAfter);
        return Json.write(root);
    }
}
