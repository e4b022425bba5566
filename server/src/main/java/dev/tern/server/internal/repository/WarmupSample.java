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
 *   "batch_size": 4,                  // rows; 1 to max_batch_size, and 0 (or absent) when max_batch_size is 0
 *   "count": 2,                       // runs per instance, at least 1 (default 1)
 *   "inputs": {"x": {"data_type": "TYPE_FP32", "dims": [3], "zero_data": true}}
 * }]
 * }</pre>
 *
 * As for {@code input}, with {@code max_batch_size} > 0 the dims leave out the batch dimension,
 * which is {@code batch_size}. Each input takes exactly one of {@code zero_data},
 * {@code random_data} or {@code input_data_file} (see {@link WarmupInput}).
 */
public record WarmupSample(String name, long batchSize, List<WarmupInput> inputs, int count) {
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

    /** The full shape of every input of this sample: the batch dimension first when the model batches. */
    long[] shapeOf(WarmupInput input) {
        if (batchSize == 0) {
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
        long batchSize = ModelConfig.nonNegative(node, "batch_size", 0, Integer.MAX_VALUE, file);
        if (maxBatchSize > 0 && (batchSize < 1 || batchSize > maxBatchSize)) {
            throw new IllegalArgumentException(file + ": '" + field + ".batch_size' must be from 1 to max_batch_size "
                    + maxBatchSize + ", found " + batchSize);
        }
        if (maxBatchSize == 0 && batchSize != 0) {
            throw new IllegalArgumentException(file + ": '" + field + ".batch_size' must be 0 or absent for a model"
                    + " without max_batch_size, found " + batchSize);
        }
        long count = ModelConfig.nonNegative(node, "count", 1, Integer.MAX_VALUE, file);
        if (count == 0) {
            throw new IllegalArgumentException(file + ": '" + field + ".count' must be at least 1");
        }
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
        return new WarmupSample(name.textValue(), batchSize, List.copyOf(read), (int) count);
    }
}
