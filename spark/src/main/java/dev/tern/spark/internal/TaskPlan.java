package dev.tern.spark.internal;

import org.apache.spark.BarrierTaskContext;

/**
 * What the tasks of a distributed training agree on before the first step, through one
 * {@link BarrierTaskContext#allGather}: the step they all start from and each task's share of
 * the global batch.
 *
 * @param share this task's rows per step
 * @param steps the step count to train to
 */
record TaskPlan(int share, long steps) {
    /**
     * Gathers every task's rows and start step, and plans this task's part.
     *
     * @throws IllegalStateException if the tasks start from different steps (the checkpoint file
     *     is not the same file on every executor)
     * @throws IllegalArgumentException if a partition is empty or the global batch exceeds the rows
     */
    static TaskPlan agree(BarrierTaskContext task, int rows, long startStep, TrainingSettings settings) {
        String[] gathered = task.allGather(rows + " " + startStep);
        long[] partitionRows = new long[gathered.length];
        long total = 0;
        for (int other = 0; other < gathered.length; other++) {
            String[] fields = gathered[other].split(" ");
            partitionRows[other] = Long.parseLong(fields[0]);
            total += partitionRows[other];
            long otherStart = Long.parseLong(fields[1]);
            if (otherStart != startStep) {
                throw new IllegalStateException("task " + task.partitionId() + " resumes at step " + startStep
                        + " but task " + other + " at step " + otherStart + "; the checkpoint " + settings.checkpoint()
                        + " must be one file every executor reads");
            }
        }
        int[] shares = BatchShares.of(partitionRows, settings.globalBatchSize());
        return new TaskPlan(shares[task.partitionId()], BatchShares.steps(total, settings.globalBatchSize(),
                settings.epochs()));
    }
}
