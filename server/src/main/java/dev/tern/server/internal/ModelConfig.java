package dev.tern.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.exec.SessionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * A model's optional {@code config.json}: how its versions are compiled. Fields:
 * {@code intra_op_threads} and {@code inter_op_threads} (0 lets ONNX Runtime choose). An
 * unknown field is an error, so a misspelt setting is not silently ignored.
 */
public record ModelConfig(int intraOpThreads, int interOpThreads) {
    private static final Set<String> FIELDS = Set.of("intra_op_threads", "inter_op_threads");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The configuration of a model without {@code config.json}: ONNX Runtime's defaults. */
    public static ModelConfig defaults() {
        return new ModelConfig(0, 0);
    }

    /**
     * Reads {@code file}, or returns the defaults if it does not exist.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and field for malformed JSON, an unknown field or a bad value
     */
    public static ModelConfig read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return defaults();
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " must hold a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(file + ": unknown field '" + name + "'; known fields are "
                        + FIELDS);
            }
        }
        return new ModelConfig(threads(root, "intra_op_threads", file), threads(root, "inter_op_threads", file));
    }

    /** The session configuration each version is compiled with. */
    public SessionConfig sessionConfig() {
        return SessionConfig.builder().intraOpThreads(intraOpThreads).interOpThreads(interOpThreads).build();
    }

    private static int threads(JsonNode root, String field, Path file) {
        JsonNode value = root.get(field);
        if (value == null) {
            return 0;
        }
        if (!value.isInt() || value.intValue() < 0) {
            throw new IllegalArgumentException(file + ": '" + field + "' must be an integer >= 0, found " + value);
        }
        return value.intValue();
    }
}
