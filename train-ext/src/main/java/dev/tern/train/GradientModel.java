package dev.tern.train;

import dev.tern.ir.Model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A model that computes a loss and its gradients, made by {@link Autodiff#differentiate}.
 *
 * @param model the model; its inputs are the original inputs followed by the trainable weights
 *     that were initializers, and its outputs the original outputs, the loss (if it was not
 *     already an output) and one gradient per trainable value
 * @param lossOutput the name of the loss output
 * @param gradientOutputs for each trainable value's name, in the order given, the name of the
 *     output holding its gradient ({@code grad.<name>}); a gradient has its value's shape and
 *     element type
 */
public record GradientModel(Model model, String lossOutput, Map<String, String> gradientOutputs) {
    public GradientModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(lossOutput, "lossOutput");
        gradientOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(gradientOutputs));
    }
}
