package dev.tern.train;

import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.train.data.FeatureScaling;
import dev.tern.train.models.ClassNames;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an exported model gets beyond its trained weights: the feature scaling it trained
 * with as its first nodes (so it takes raw features), and the class names as metadata
 * ({@link ClassNames#METADATA_KEY}), so its scores can be mapped back to names. Each applies
 * to a model that has the input or output it concerns, so a part of the model (a VAE's
 * decoder) gets only what fits it. Immutable.
 *
 * @param featureInput the input the scaling applies to, or null without one
 * @param scaling the per-feature scaling, if any
 * @param scoresOutput the output holding the class scores
 * @param classNames the names of the classes in index order; empty for numeric labels
 */
public record ExportAdditions(String featureInput, Optional<FeatureScaling> scaling, String scoresOutput,
                              List<String> classNames) {
    /** Nothing added. */
    public static final ExportAdditions NONE = new ExportAdditions(null, Optional.empty(), null, List.of());

    public ExportAdditions {
        Objects.requireNonNull(scaling, "scaling");
        classNames = List.copyOf(classNames);
        if (scaling.isPresent() && featureInput == null) {
            throw new IllegalArgumentException("a scaling needs the feature input it applies to");
        }
        if (!classNames.isEmpty() && scoresOutput == null) {
            throw new IllegalArgumentException("class names need the output holding the class scores");
        }
    }

    /**
     * {@code trained} with the additions that fit it: the scaling when it has the feature
     * input, the class names when it has the scores output. {@code trained} itself may be
     * changed (its metadata); the scaling makes a copy.
     *
     * @throws TrainingException if the feature input does not take the scaling's feature shape
     */
    public Model applyTo(Model trained) {
        Model model = trained;
        if (scaling.isPresent() && hasValue(trained.graph().inputs(), featureInput)) {
            model = scaling.get().prependTo(trained, featureInput);
        }
        if (!classNames.isEmpty() && hasValue(model.graph().outputs(), scoresOutput)) {
            ClassNames.store(model, scoresOutput, classNames);
        }
        return model;
    }

    private static boolean hasValue(List<Value> values, String name) {
        return values.stream().anyMatch(value -> value.name().equals(name));
    }
}
