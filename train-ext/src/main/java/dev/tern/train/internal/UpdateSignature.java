package dev.tern.train.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The inputs and outputs the update adds to a training step.
 *
 * @param scalars the per-step scalar inputs (the learning rate, or Adam's step size, epsilon and
 *     decay factor), each computed from the rate and step count before a run
 * @param gradientNormOutput the scalar global gradient norm before clipping, when clipping is on
 * @param weights the trainable weights, in the order given
 * @param optimizerState the optimizer's state tensors
 */
public record UpdateSignature(List<UpdateScalar> scalars, Optional<String> gradientNormOutput,
                              List<StateSlot> weights, List<StateSlot> optimizerState) {
    public UpdateSignature {
        scalars = List.copyOf(scalars);
        weights = List.copyOf(weights);
        optimizerState = List.copyOf(optimizerState);
    }

    /** Every tensor carried between steps: the weights, then the optimizer state. */
    public List<StateSlot> slots() {
        List<StateSlot> slots = new ArrayList<>(weights);
        slots.addAll(optimizerState);
        return slots;
    }
}
