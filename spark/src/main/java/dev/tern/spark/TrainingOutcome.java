package dev.tern.spark;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link DistributedTrainer#fit} run reports, from task 0.
 *
 * @param model the trained model for inference as ONNX bytes, unless it was written to the
 *     trainer's {@link DistributedTrainer.Builder#exportTo export path} instead
 * @param steps the steps taken in all, counting those before a resumed checkpoint
 * @param loss the last step's loss: the mean over the global batch, averaged across tasks
 * @param startStep the step the successful attempt started from: 0, or a checkpoint's step
 * @param stageAttempt the barrier stage's attempt that finished (0 unless Spark retried it)
 * @param tasks how many tasks trained, one per partition
 * @param times where task 0's steps of the successful attempt spent their time
 */
public record TrainingOutcome(Optional<byte[]> model, long steps, double loss, long startStep, int stageAttempt,
                              int tasks, StepTimes times) {
    public TrainingOutcome {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(times, "times");
    }
}
