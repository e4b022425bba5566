package dev.tern.server.internal.repository;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of {@code config.json}'s {@code "model_warmup"} list, in Triton's {@code ModelWarmup}
 * shape: a request run {@code count} times on every instance before a version is READY.
 *
 * <pre>{@code
 * "model_warmup": [{
 *   "name": "zeros",                  // names the sample in failures
 *   "batch_size": 4,                  // rows, 1 (default) to max_batch_size; 1 when max_batch_size is 0
 *   "count": 2,                       // runs per instance; 0 (default) runs it once, as in Triton
 *   "inputs": {"x": {"data_type": "TYPE_FP32", "dims": [3], "zero_data": true}}
 * }]
 * }</pre>
 *
 * As for {@code input}, with {@code max_batch_size} > 0 ({@code batched}) the dims leave out the
 * batch dimension, which is {@code batch_size}; without, the dims are the whole shape. Each input takes exactly one of {@code zero_data},
 * {@code random_data} or {@code input_data_file} (see {@link WarmupInput}).
 */
public record WarmupSample(String name, int batchSize, boolean batched, List<WarmupInput> inputs, int count) {
    private static final Set<String> FIELDS = Set.of("name", "batch_size", "inputs", "count");

    /**
     * Reads {@code root.model_warmup}; empty if absent.
     *
     * @throws IllegalArgumentException naming {@code file} and the field for a malformed entry
     */
    static List<WarmupSample> readAll(JsonNode root, int maxBatchSize, Path file) {
        JsonNode list = root.get("model_warmup");
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(file + ": 'model_warmup' must be a list of"
                    + " {\"name\", \"batch_size\", \"inputs\", \"count\"} objects, found " + list);
        }
        List<WarmupSample> samples = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            samples.add(read(list.get(i), "model_warmup[" + i + "]", maxBatchSize, file));
        }
        return List.copyOf(samples);
    }

    /** The rows a request of this sample holds, as the scheduler counts them: 0 for a model that does not batch. */
    long rows() {
        return batched ? batchSize : 0;
    }

    /** How many times the sample runs on each instance. */
    int runsPerInstance() {
        return Math.max(1, count);
    }

    /** The full shape of every input of this sample: the batch dimension first when the model batches. */
    long[] shapeOf(WarmupInput input) {
        if (!batched) {
            return input.dims().clone();
        }
        long[] shape = new long[input.dims().length + 1];
        shape[0] = batchSize;
        System.arraycopy(input.dims(), 0, shape, 1, input.dims().length);
        return shape;
    }

    private static WarmupSample read(JsonNode node, String field, int maxBatchSize, Path file) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + ": '" + field + "' must be an object, found " + node);
        }
        ModelConfig.requireKnownFields(node, FIELDS, file, field + ".");
        JsonNode name = node.get("name");
        if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
            throw new IllegalArgumentException(file + ": '" + field + ".name' must be a non-empty string, found "
                    + name);
        }
        int batchSize = (int) ModelConfig.nonNegative(node, "batch_size", 1, Integer.MAX_VALUE, file);
        int maxRows = Math.max(1, maxBatchSize);
        if (batchSize < 1 || batchSize > maxRows) {
            throw new IllegalArgumentException(file + ": '" + field + ".batch_size' must be from 1 to " + maxRows
                    + (maxBatchSize > 0 ? " (max_batch_size)" : " (the model does not batch)") + ", found " + batchSize);
        }
        int count = (int) ModelConfig.nonNegative(node, "count", 0, Integer.MAX_VALUE, file);
        JsonNode inputs = node.get("inputs");
        if (inputs == null || !inputs.isObject() || inputs.isEmpty()) {
            throw new IllegalArgumentException(file + ": '" + field + ".inputs' must map input names to"
                    + " {\"data_type\", \"dims\", data} objects, found " + inputs);
        }
        List<WarmupInput> read = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = inputs.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            read.add(WarmupInput.read(entry.getKey(), entry.getValue(), field + ".inputs." + entry.getKey(), file));
        }
        return new WarmupSample(name.textValue(), batchSize, maxBatchSize > 0, List.copyOf(read), count);
    }
}
