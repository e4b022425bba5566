package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.train.data.FeatureScaling;
import dev.tern.train.models.ClassNames;
import java.util.List;
import java.util.Optional;

/**
 * What {@code tern finetune} adds to the trained model before writing it: the feature scaling
 * it trained with as the model's first nodes (so it takes raw features), and the class names
 * as metadata ({@link ClassNames#METADATA_KEY}), so outputs can be mapped back to names.
 *
 * @param featureInput the input the scaling applies to, or null without one
 * @param scaling the per-feature scaling, if any
 * @param scoresOutput the output holding the class scores
 * @param classNames the names of the classes in index order; empty for a regression
 */
record ExportAdditions(String featureInput, Optional<FeatureScaling> scaling, String scoresOutput,
                       List<String> classNames) {

    /** {@code trained} with the additions; {@code trained} itself may be changed. */
    Model applyTo(Model trained) {
        Model model = scaling.map(fitted -> fitted.prependTo(trained, featureInput)).orElse(trained);
        if (!classNames.isEmpty()) {
            ClassNames.store(model, scoresOutput, classNames);
        }
        return model;
    }
}
