package dev.tern.spark;

import dev.tern.ir.Model;
import dev.tern.train.TrainingSession;
import java.io.Serializable;

/**
 * Configures the training session each task of a {@link DistributedTrainer} builds over its copy
 * of the model: loss, trainable weights, optimizer, schedule and ONNX Runtime settings. It is
 * serialized to the executors, so a lambda may capture only serializable values:
 *
 * <pre>{@code
 * SessionSetup setup = model -> TrainingSession.builder(model, "logits")
 *         .loss(Loss.crossEntropy()).trainable(List.of("w1", "b1"))
 *         .optimizer(Optimizer.adamW(1e-4)).schedule(LearningRateSchedule.constant(1e-3));
 * }</pre>
 *
 * The trainer adds {@link TrainingSession.Builder#splitStep()} and builds the session itself.
 */
@FunctionalInterface
public interface SessionSetup extends Serializable {
    /** A configured builder for training {@code model}, the task's own copy. */
    TrainingSession.Builder configure(Model model);
}
