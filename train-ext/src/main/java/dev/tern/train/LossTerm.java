package dev.tern.train;

import java.util.Objects;

/**
 * One weighted term of a {@link LossTerms} sum: a loss function between a model output and a
 * target, reported under its own name each step and epoch.
 *
 * @param name the name the term is reported under
 * @param function the loss function
 * @param output the model output the function reads as its prediction
 * @param target what it compares the output with: a model input, a model output, or else the
 *     name of a new input that batches feed
 * @param weight the factor the term's value is multiplied by in the total loss
 */
public record LossTerm(String name, Loss function, String output, String target, double weight) {
    /**
     * @throws IllegalArgumentException if the name is empty or the weight is not finite
     */
    public LossTerm {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(target, "target");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a loss term needs a name, found an empty one (output '" + output + "')");
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("loss term '" + name + "': the weight must be finite, found " + weight);
        }
    }
}
