package dev.tern.train.internal;

import dev.tern.exec.NativeTensor;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;

import java.util.Map;

/**
 * The learning rate and (for an optimizer that reads it) the 1-based step count an update
 * reads: two native scalars made once and overwritten before each run, so a step allocates no
 * tensor for them. One per compiled update, used by one step at a time. Owns its tensors.
 */
final class UpdateScalars implements AutoCloseable {
    private final UpdateSignature update;
    private final NativeTensor rate;
    /** The step count, or null when the update reads none. */
    private final NativeTensor step;

    /** Scalars for {@code update}, the learning rate in {@code weightType} (float or double). */
    UpdateScalars(UpdateSignature update, ElementType weightType) {
        this.update = update;
        String rateInput = update.learningRateInput();
        this.rate = NativeTensor.copyOf(weightType == ElementType.DOUBLE
                ? Tensor.ofDoubles(rateInput, new long[0], 0)
                : Tensor.ofFloats(rateInput, new long[0], 0));
        this.step = update.stepInput()
                .map(input -> NativeTensor.copyOf(Tensor.ofLongs(input, new long[0], 0)))
                .orElse(null);
    }

    /** Sets the scalars for step {@code steps} (0-based) at learning rate {@code learningRate} and puts them into {@code feed}. */
    void feed(Map<String, NativeTensor> feed, long steps, double learningRate) {
        rate.fill(learningRate);
        feed.put(update.learningRateInput(), rate);
        if (step != null) {
            step.fill(steps + 1);
            feed.put(update.stepInput().orElseThrow(), step);
        }
    }

    @Override
    public void close() {
        rate.close();
        if (step != null) {
            step.close();
        }
    }
}
