package dev.tern.spark;

import java.io.Serializable;
import java.time.Duration;

/**
 * Where one task's training steps spent their time, summed over the steps it took.
 *
 * @param steps the steps timed
 * @param gradients computing the local gradients (assembling the batch included)
 * @param allReduce averaging them across the tasks, waiting for the slowest included
 * @param apply the optimizer's update
 */
public record StepTimes(long steps, Duration gradients, Duration allReduce, Duration apply) implements Serializable {
    /** The all-reduce's share of the time the steps took, 0 to 1 (0 when no step was timed). */
    public double allReduceShare() {
        long total = gradients.toNanos() + allReduce.toNanos() + apply.toNanos();
        return total == 0 ? 0 : (double) allReduce.toNanos() / total;
    }

    /** Steps per second over the timed steps (0 when none was). */
    public double stepsPerSecond() {
        long total = gradients.toNanos() + allReduce.toNanos() + apply.toNanos();
        return total == 0 ? 0 : steps * 1e9 / total;
    }
}
