package dev.tern.spark.internal;

/**
 * Splits a global batch among tasks in proportion to their partitions' rows, so that every
 * task passes over its partition at the same pace and the tasks together cover the data set
 * once per epoch.
 */
final class BatchShares {
    private BatchShares() {
    }

    /**
     * Each task's rows per step: {@code round(globalBatch * rows / total)}, at least 1.
     *
     * @throws IllegalArgumentException if a partition is empty, or the global batch exceeds the rows
     */
    static int[] of(long[] partitionRows, int globalBatch) {
        long total = 0;
        for (int task = 0; task < partitionRows.length; task++) {
            if (partitionRows[task] == 0) {
                throw new IllegalArgumentException("partition " + task + " of " + partitionRows.length
                        + " holds no rows; every barrier task needs some (repartition the data set)");
            }
            total += partitionRows[task];
        }
        if (globalBatch > total) {
            throw new IllegalArgumentException("the global batch of " + globalBatch + " rows exceeds the data set's "
                    + total + " rows");
        }
        int[] shares = new int[partitionRows.length];
        for (int task = 0; task < shares.length; task++) {
            shares[task] = (int) Math.max(1, Math.round((double) globalBatch * partitionRows[task] / total));
        }
        return shares;
    }

    /** The steps of {@code epochs} passes of {@code globalBatch} rows a step over {@code total} rows. */
    static long steps(long total, int globalBatch, int epochs) {
        return epochs * ((total + globalBatch - 1) / globalBatch);
    }
}
