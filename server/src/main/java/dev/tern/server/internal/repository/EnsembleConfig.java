package dev.tern.server.internal.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code config.json} of an ensemble model, in Triton's form: one model that runs other
 * models of the repository in steps, each reading ensemble tensors and writing new ones.
 *
 * <pre>{@code
 * {
 *   "platform": "ensemble",
 *   "max_batch_size": 0,                 // > 0: as for any model, dims below leave out the batch
 *   "input": [{"name": "raw", "data_type": "TYPE_FP32", "dims": [-1, 4]}],
 *   "output": [{"name": "scores", "data_type": "TYPE_FP32", "dims": [-1, 2]}],
 *   "ensemble_scheduling": {"step": [
 *     {"model_name": "scale", "model_version": -1,            // -1: the newest loaded version
 *      "input_map": {"x": "raw"}, "output_map": {"y": "scaled"}},
 *     {"model_name": "classify", "model_version": 1,
 *      "input_map": {"features": "scaled"}, "output_map": {"logits": "scores"}}]}
 * }
 * }</pre>
 *
 * A map goes from the member's tensor name (key) to the ensemble's (value), as in Triton. The
 * ensemble's inputs and outputs are its metadata; which step runs when follows from the maps.
 */
public record EnsembleConfig(Path file, int maxBatchSize, List<TensorOverride> inputs, List<TensorOverride> outputs,
                             List<EnsembleStep> steps) {
    /** The {@code platform} value that makes a model an ensemble. */
    public static final String PLATFORM = "ensemble";
    private static final Set<String> FIELDS = Set.of("platform", "max_batch_size", "input", "output",
            "ensemble_scheduling");
    private static final Set<String> STEP_FIELDS = Set.of("model_name", "model_version", "input_map", "output_map");
    private static final ObjectMapper JSON = new ObjectMapper();

    public EnsembleConfig {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        steps = List.copyOf(steps);
    }

    /**
     * The ensemble {@code file} describes, or empty if the file is absent or says no
     * {@code "platform": "ensemble"} (another model's configuration, which {@link ModelConfig} reads).
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and field for malformed JSON, an unknown
     *     field or a bad value
     */
    public static Optional<EnsembleConfig> readIfEnsemble(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !PLATFORM.equals(root.path("platform").asText(null))) {
            return Optional.empty();
        }
        ModelConfig.requireKnownFields(root, FIELDS, file, "");
        int maxBatchSize = (int) ModelConfig.nonNegative(root, "max_batch_size", 0, Integer.MAX_VALUE, file);
        List<TensorOverride> inputs = TensorOverride.readAll(root, "input", file);
        List<TensorOverride> outputs = TensorOverride.readAll(root, "output", file);
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException(file + ": an ensemble needs its 'input' and 'output' lists");
        }
        return Optional.of(new EnsembleConfig(file, maxBatchSize, inputs, outputs, steps(root, file)));
    }

    private static List<EnsembleStep> steps(JsonNode root, Path file) {
        JsonNode scheduling = root.get("ensemble_scheduling");
        if (scheduling == null || !scheduling.isObject()) {
            throw new IllegalArgumentException(file + ": an ensemble needs 'ensemble_scheduling': {\"step\": [...]},"
                    + " found " + scheduling);
        }
        ModelConfig.requireKnownFields(scheduling, Set.of("step"), file, "ensemble_scheduling.");
        JsonNode list = scheduling.get("step");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(file + ": 'ensemble_scheduling.step' must be a non-empty list of steps,"
                    + " found " + list);
        }
        List<EnsembleStep> steps = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            steps.add(step(list.get(i), "ensemble_scheduling.step[" + i + "]", file));
        }
        return steps;
    }

    private static EnsembleStep step(JsonNode node, String field, Path file) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + ": '" + field + "' must be an object, found " + node);
        }
        ModelConfig.requireKnownFields(node, STEP_FIELDS, file, field + ".");
        JsonNode name = node.get("model_name");
        if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
            throw new IllegalArgumentException(file + ": '" + field + ".model_name' must be a non-empty string, found "
                    + name);
        }
        JsonNode version = node.get("model_version");
        long modelVersion = EnsembleStep.LATEST;
        if (version != null) {
            if (!version.isIntegralNumber() || !version.canConvertToLong()
                    || version.longValue() < 1 && version.longValue() != EnsembleStep.LATEST) {
                throw new IllegalArgumentException(file + ": '" + field + ".model_version' must be -1 (the newest)"
                        + " or a version >= 1, found " + version);
            }
            modelVersion = version.longValue();
        }
        return new EnsembleStep(field, name.textValue(), modelVersion, tensorMap(node, field, "input_map", file),
                tensorMap(node, field, "output_map", file));
    }

    private static Map<String, String> tensorMap(JsonNode step, String field, String key, Path file) {
        JsonNode map = step.get(key);
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new IllegalArgumentException(file + ": '" + field + "." + key + "' must map member tensor names to"
                    + " ensemble tensor names, as {\"x\": \"raw\"}, found " + map);
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = map.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (!entry.getValue().isTextual() || entry.getValue().textValue().isEmpty()) {
                throw new IllegalArgumentException(file + ": '" + field + "." + key + "." + entry.getKey()
                        + "' must name an ensemble tensor, found " + entry.getValue());
            }
            names.put(entry.getKey(), entry.getValue().textValue());
        }
        return names;
    }
}
