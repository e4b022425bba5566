package dev.tern.spark.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The task side of {@link dev.tern.spark.TernModel#transform}: pulls the partition's rows
 * {@link InferencePlan#rowsPerRun()} at a time, runs each batch on this JVM's shared compiled
 * model, and yields every row with its output columns (and error column) appended. Rows are
 * read lazily, so a partition never sits in memory whole.
 */
public final class PartitionInference implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final InferencePlan plan;

    public PartitionInference(InferencePlan plan) {
        this.plan = plan;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        int partition = task == null ? 0 : task.partitionId();
        BatchRunner runner = new BatchRunner(plan, ExecutorCache.model(plan.model(), plan.threadsPerTask()));
        return new Batches(rows, runner, partition);
    }

    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final BatchRunner runner;
        private final int partition;
        private final ArrayDeque<Row> ready = new ArrayDeque<>();
        private long consumed;

        Batches(Iterator<Row> rows, BatchRunner runner, int partition) {
            this.rows = rows;
            this.runner = runner;
            this.partition = partition;
        }

        @Override
        public boolean hasNext() {
            if (ready.isEmpty() && rows.hasNext()) {
                runNextBatch();
            }
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void runNextBatch() {
            List<Row> batch = new ArrayList<>(plan.rowsPerRun());
            while (batch.size() < plan.rowsPerRun() && rows.hasNext()) {
                batch.add(rows.next());
            }
            long first = consumed;
            consumed += batch.size();
            RowResult[] results = runner.run(batch, i -> "row " + (first + i) + " of partition " + partition);
            for (int i = 0; i < batch.size(); i++) {
                ready.add(withOutputs(batch.get(i), results[i]));
            }
        }

        private Row withOutputs(Row row, RowResult result) {
            int width = row.length();
            int outputs = plan.outputs().size();
            Object[] values = new Object[width + outputs + (plan.collectErrors() ? 1 : 0)];
            for (int i = 0; i < width; i++) {
                values[i] = row.get(i);
            }
            if (result.outputs() != null) {
                System.arraycopy(result.outputs(), 0, values, width, outputs);
            }
            if (plan.collectErrors()) {
                values[width + outputs] = result.error();
            }
            return RowFactory.create(values);
        }
    }
}
