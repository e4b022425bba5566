package dev.tern.train.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The inputs and outputs the update adds to a training step.
 *
 * @param learningRateInput the scalar learning-rate input, of the weights' element type
 * @param stepInput the int64 scalar 1-based step count, for optimizers with bias correction
 * @param gradientNormOutput the scalar global gradient norm before clipping, when clipping is on
 * @param weights the trainable weights, in the order given
 * @param optimizerState the optimizer's state tensors
 */
public record UpdateSignature(String learningRateInput, Optional<String> stepInput,
                              Optional<String> gradientNormOutput, List<StateSlot> weights,
                              List<StateSlot> optimizerState) {
    public UpdateSignature {
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
