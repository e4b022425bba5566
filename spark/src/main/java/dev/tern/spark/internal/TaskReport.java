package dev.tern.spark.internal;

import dev.tern.spark.StepTimes;
import java.io.Serializable;

/**
 * What one barrier task of a distributed training returns to the driver.
 *
 * @param partition the task's partition
 * @param attempt the barrier stage's attempt number
 * @param startStep the step it started from (a checkpoint's, or 0)
 * @param steps the step count it ended at
 * @param loss the last step's averaged loss, NaN if it took no step
 * @param weightDigest SHA-256 of its final weights, which must be the same on every task
 * @param model the exported model's ONNX bytes, from task 0 only when no export path is set, else null
 * @param times where its steps' time went
 */
public record TaskReport(int partition, int attempt, long startStep, long steps, double loss, String weightDigest,
                         byte[] model, StepTimes times) implements Serializable {
}
