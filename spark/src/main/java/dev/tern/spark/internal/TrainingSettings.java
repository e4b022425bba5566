package dev.tern.spark.internal;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a distributed training runs, as every task reads it.
 *
 * @param globalBatchSize rows per step over all tasks together
 * @param epochs passes over the data set; a pass is {@code ceil(rows / globalBatchSize)} steps
 * @param seed seeds each task's shuffle of its partition
 * @param checkpoint the checkpoint file task 0 writes and every task resumes from, or {@code null}
 * @param checkpointEvery steps between checkpoints
 * @param exportTo where task 0 writes the trained model, or {@code null} to return its bytes
 * @param ringTimeout how long a task waits for its ring neighbours to connect
 */
public record TrainingSettings(int globalBatchSize, int epochs, long seed, String checkpoint, int checkpointEvery,
                               String exportTo, Duration ringTimeout) implements Serializable {
}
