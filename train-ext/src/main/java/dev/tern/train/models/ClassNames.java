package dev.tern.train.models;

import dev.tern.ir.Dim;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.TrainingException;
import dev.tern.train.models.internal.JsonStringArray;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The names of a classifier's classes, kept in the model's metadata so that whoever runs it (a
 * server, a user with plain ONNX Runtime) can map output scores back to names: the model
 * property {@value #METADATA_KEY} holds a JSON array of strings, the name of score {@code i}
 * at index {@code i}, for example {@code ["class_0","class_1","class_2"]}. In Python:
 * {@code json.loads(session.get_modelmeta().custom_metadata_map["tern.class_names"])}.
 */
public final class ClassNames {
    /** The metadata property holding the names. */
    public static final String METADATA_KEY = "tern.class_names";

    private ClassNames() {
    }

    /**
     * Stores {@code names} in {@code model}'s metadata, replacing any stored before.
     *
     * @param scoresOutput the output holding the class scores {@code [batch, classes]}
     * @throws IllegalArgumentException if {@code names} is empty or names a class twice
     * @throws TrainingException if the model has no output {@code scoresOutput}, or its last
     *     dimension is a known size other than the number of names
     */
    public static void store(Model model, String scoresOutput, List<String> names) {
        Objects.requireNonNull(model, "model");
        if (names.isEmpty() || new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("class names must be non-empty and distinct, found " + names);
        }
        Value scores = model.graph().outputs().stream().filter(value -> value.name().equals(scoresOutput)).findFirst()
                .orElseThrow(() -> new TrainingException("graph '" + model.graph().name() + "' has no output '"
                        + scoresOutput + "'; its outputs are "
                        + model.graph().outputs().stream().map(Value::name).toList()));
        if (scores.type() instanceof ValueType.TensorType tensor && tensor.shape().isRankKnown()
                && tensor.shape().rank() > 0
                && tensor.shape().dim(tensor.shape().rank() - 1) instanceof Dim.Known known
                && known.size() != names.size()) {
            throw new TrainingException("output '" + scoresOutput + "' is " + tensor + ", which scores " + known.size()
                    + " classes, but " + names.size() + " class names were given: " + names);
        }
        model.metadataProps().put(METADATA_KEY, JsonStringArray.write(names));
    }

    /**
     * The class names stored in {@code model}, if any.
     *
     * @throws TrainingException if the property is there but is not a JSON array of strings
     */
    public static Optional<List<String>> read(Model model) {
        String json = model.metadataProps().get(METADATA_KEY);
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonStringArray.read(json));
        } catch (IllegalArgumentException e) {
            throw new TrainingException("model property " + METADATA_KEY + ": " + e.getMessage(), e);
        }
    }
}
