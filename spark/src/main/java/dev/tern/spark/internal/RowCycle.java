package dev.tern.spark.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A task's rows for each step: its partition's rows in an endless sequence of passes, each pass
 * a shuffle of the partition, taken {@code share} rows per step. The rows of step {@code k}
 * depend only on the seed, the partition and {@code k}, so a task resumed from a checkpoint at
 * step {@code k} reads exactly the rows the interrupted one would have.
 */
final class RowCycle<T> {
    private final List<T> rows;
    private final int share;
    private final long seed;
    private final int partition;
    private long shuffledPass = -1;
    private int[] order;

    /** {@code share} is at least 1 and at most the number of rows. */
    RowCycle(List<T> rows, int share, long seed, int partition) {
        this.rows = rows;
        this.share = share;
        this.seed = seed;
        this.partition = partition;
    }

    int share() {
        return share;
    }

    /** The rows of step {@code step}, {@link #share()} of them. */
    List<T> batch(long step) {
        List<T> batch = new ArrayList<>(share);
        for (long position = step * share; position < (step + 1) * share; position++) {
            long pass = position / rows.size();
            batch.add(rows.get(order(pass)[(int) (position % rows.size())]));
        }
        return batch;
    }

    private int[] order(long pass) {
        if (pass != shuffledPass) {
            order = new int[rows.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            // Fisher-Yates with a generator seeded by the run's seed, the partition and the pass.
            Random random = new Random(seed * 1_000_003L + partition * 7_919L + pass);
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            shuffledPass = pass;
        }
        return order;
    }
}
