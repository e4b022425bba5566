package dev.tern.server.internal.repository;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.ir.ElementType;
import dev.tern.server.client.Datatypes;
import dev.tern.server.internal.Signature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of {@code config.json}'s {@code "input"} or {@code "output"} list, in Triton's shape:
 * {@code {"name": "x", "data_type": "TYPE_FP32", "dims": [-1, 4]}}. The data type is the
 * protocol's name with or without Triton's {@code TYPE_} prefix ({@code TYPE_STRING} is
 * {@code BYTES}). As in Triton, with {@code max_batch_size} > 0 the dims leave out the batch
 * dimension. A dim of -1 leaves the model's size; a fixed dim must agree with the model's, or
 * fixes a dimension the model leaves open, so metadata reports it and requests must match it.
 *
 * @param file the {@code config.json} the entry is in, for messages
 * @param field where the entry is in the file, such as {@code input[0]}, for messages
 * @param dims sizes from the file, -1 for any
 */
public record TensorOverride(Path file, String field, String name, ElementType elementType, long[] dims) {
    private static final Set<String> FIELDS = Set.of("name", "data_type", "dims");

    /**
     * Reads the list {@code root.field} ({@code "input"} or {@code "output"}); empty if absent.
     *
     * @throws IllegalArgumentException naming {@code file} and the field for a malformed entry
     */
    static List<TensorOverride> readAll(JsonNode root, String field, Path file) {
        JsonNode list = root.get(field);
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(file + ": '" + field + "' must be a list of"
                    + " {\"name\", \"data_type\", \"dims\"} objects, found " + list);
        }
        List<TensorOverride> overrides = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            TensorOverride entry = read(list.get(i), field + "[" + i + "]", file);
            if (!names.add(entry.name())) {
                throw new IllegalArgumentException(file + ": '" + entry.field() + ".name': '" + entry.name()
                        + "' is listed twice in '" + field + "'");
            }
            overrides.add(entry);
        }
        return List.copyOf(overrides);
    }

    /**
     * {@code signatures} with each override applied, in the model's order.
     *
     * @param kind "input" or "output", for messages
     * @throws IllegalArgumentException naming the config field for an unknown name, another data
     *     type, or dims that contradict the model's
     */
    static List<Signature> applyAll(List<TensorOverride> overrides, List<Signature> signatures, String kind,
                                    int maxBatchSize) {
        Map<String, Signature> byName = new LinkedHashMap<>();
        signatures.forEach(signature -> byName.put(signature.name(), signature));
        for (TensorOverride override : overrides) {
            Signature model = byName.get(override.name());
            if (model == null) {
                throw override.error("name", "the model has no " + kind + " '" + override.name() + "'; its "
                        + kind + "s are " + byName.keySet());
            }
            byName.put(override.name(), override.apply(model, maxBatchSize));
        }
        return List.copyOf(byName.values());
    }

    private Signature apply(Signature model, int maxBatchSize) {
        if (elementType != model.elementType()) {
            throw error("data_type", Datatypes.describe(elementType) + " contradicts the model's "
                    + model.datatype() + " for '" + name + "'");
        }
        long[] full = maxBatchSize > 0 ? withBatch() : dims;
        if (model.rankKnown() && full.length != model.shape().length) {
            throw error("dims", "rank " + full.length + " (" + Arrays.toString(full) + ") contradicts the model's "
                    + model.shapeText() + " for '" + name + "'" + (maxBatchSize > 0 ? " (the batch dimension is"
                    + " implied by max_batch_size and left out of dims)" : ""));
        }
        long[] merged = full.clone();
        for (int axis = 0; model.rankKnown() && axis < merged.length; axis++) {
            long known = model.shape()[axis];
            if (known >= 0 && merged[axis] >= 0 && known != merged[axis]) {
                throw error("dims", Arrays.toString(dims) + " contradicts the model's " + model.shapeText()
                        + " for '" + name + "' at axis " + axis);
            }
            merged[axis] = Math.max(known, merged[axis]);
        }
        return new Signature(name, elementType, model.datatype(), merged, true);
    }

    /**
     * The signature this entry declares by itself, for a model whose metadata is its
     * configuration (an ensemble): the dims as given, with a leading -1 for the batch when
     * {@code maxBatchSize} > 0.
     */
    Signature declared(int maxBatchSize) {
        return new Signature(name, elementType, Datatypes.describe(elementType), maxBatchSize > 0 ? withBatch() : dims,
                true);
    }

    private long[] withBatch() {
        long[] full = new long[dims.length + 1];
        full[0] = -1;
        System.arraycopy(dims, 0, full, 1, dims.length);
        return full;
    }

    private IllegalArgumentException error(String part, String message) {
        return new IllegalArgumentException(file + ": '" + field + "." + part + "': " + message);
    }

    private static TensorOverride read(JsonNode node, String field, Path file) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + ": '" + field + "' must be an object, found " + node);
        }
        ModelConfig.requireKnownFields(node, FIELDS, file, field + ".");
        JsonNode name = node.get("name");
        if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
            throw new IllegalArgumentException(file + ": '" + field + ".name' must be a non-empty string, found "
                    + name);
        }
        JsonNode type = node.get("data_type");
        String datatype = type == null || !type.isTextual() ? "" : type.textValue().replaceFirst("^TYPE_", "");
        ElementType elementType = Datatypes.elementType(datatype.equals("STRING") ? "BYTES" : datatype)
                .orElseThrow(() -> new IllegalArgumentException(file + ": '" + field + ".data_type' must be a"
                        + " datatype such as \"TYPE_FP32\" or \"FP32\", found " + type));
        JsonNode dimsNode = node.get("dims");
        if (dimsNode == null || !dimsNode.isArray()) {
            throw new IllegalArgumentException(file + ": '" + field + ".dims' must be a list of sizes (-1: any),"
                    + " found " + dimsNode);
        }
        long[] dims = new long[dimsNode.size()];
        for (int axis = 0; axis < dims.length; axis++) {
            JsonNode dim = dimsNode.get(axis);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.longValue() < -1) {
                throw new IllegalArgumentException(file + ": '" + field + ".dims' entries must be integers >= -1,"
                        + " found " + dim);
            }
            dims[axis] = dim.longValue();
        }
        return new TensorOverride(file, field, name.textValue(), elementType, dims);
    }
}
