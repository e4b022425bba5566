package dev.tern.spark.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.ExecException;
import dev.tern.ir.Tensor;
import dev.tern.spark.BadRowException;
import dev.tern.train.data.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.spark.sql.Row;

/**
 * Runs a batch of rows through the model in as few ONNX Runtime runs as their shapes allow:
 * one run for the whole batch when every row has the same dimensions, otherwise one per run
 * of consecutive rows that agree. Bad rows fail the batch, or with
 * {@link InferencePlan#collectErrors()} are left out of the runs and reported.
 */
public final class BatchRunner {
    private final InferencePlan plan;
    private final CompiledModel model;

    public BatchRunner(InferencePlan plan, CompiledModel model) {
        this.plan = plan;
        this.model = model;
    }

    /**
     * One result per row of {@code rows}, in order.
     *
     * @param where names row {@code i} in messages ("row 7 of partition 2")
     * @throws BadRowException for a bad row, unless the plan collects errors
     * @throws ExecException if the model's outputs do not have one entry per row
     */
    public RowResult[] run(List<Row> rows, IntFunction<String> where) {
        RowResult[] results = new RowResult[rows.size()];
        List<ReadRow> good = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            try {
                good.add(read(i, rows.get(i), where.apply(i)));
            } catch (BadRowException e) {
                if (!plan.collectErrors()) {
                    throw e;
                }
                results[i] = RowResult.failed(e.getMessage());
            }
        }
        int start = 0;
        while (start < good.size()) {
            int end = start + 1;
            while (end < good.size() && good.get(end).sameDims(good.get(start))) {
                end++;
            }
            runTogether(good.subList(start, end), results);
            start = end;
        }
        return results;
    }

    private ReadRow read(int position, Row row, String where) {
        List<NumericInput> inputs = plan.numericInputs();
        RowValues[] values = new RowValues[inputs.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = inputs.get(k).read(row, plan.columnIndexes()[k], where);
        }
        String text = plan.textInput() == null ? null
                : plan.textInput().read(row, plan.columnIndexes()[values.length], where);
        return new ReadRow(position, values, text);
    }

    private void runTogether(List<ReadRow> rows, RowResult[] results) {
        Map<String, Tensor> feed = new HashMap<>();
        List<NumericInput> inputs = plan.numericInputs();
        for (int k = 0; k < inputs.size(); k++) {
            List<RowValues> column = new ArrayList<>(rows.size());
            for (ReadRow row : rows) {
                column.add(row.values()[k]);
            }
            feed.put(inputs.get(k).modelInput(), inputs.get(k).pack(column));
        }
        long[] mask = null;
        if (plan.textInput() != null) {
            List<String> texts = new ArrayList<>(rows.size());
            for (ReadRow row : rows) {
                texts.add(row.text());
            }
            Map<String, Tensor> tokens = plan.textInput().encode(texts);
            mask = tokens.get(TextTokenizer.ATTENTION_MASK).toLongArray();
            if (!plan.textInput().feedsMask()) {
                tokens.remove(TextTokenizer.ATTENTION_MASK);
            }
            feed.putAll(tokens);
        }
        Map<String, Tensor> outputs = model.run(feed);
        List<OutputColumn> columns = plan.outputs();
        Object[][] rowOutputs = new Object[rows.size()][columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            OutputColumn column = columns.get(c);
            Tensor output = outputs.get(column.modelOutput());
            requireOnePerRow(output, rows.size());
            Object flat = column.flat(output);
            for (int r = 0; r < rows.size(); r++) {
                rowOutputs[r][c] = column.rowOf(output, flat, r, mask);
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            results[rows.get(r).position()] = RowResult.ok(rowOutputs[r]);
        }
    }

    private void requireOnePerRow(Tensor output, int rows) {
        long[] dims = output.dims();
        if (dims.length == 0 || dims[0] != rows) {
            throw new ExecException("model '" + model.name() + "': output '" + output.name() + "' has shape "
                    + Arrays.toString(dims) + " for a batch of " + rows + " rows; expected " + rows
                    + " entries along its first dimension");
        }
    }

    /** A row's inputs as read, and its position in the batch. */
    private record ReadRow(int position, RowValues[] values, String text) {
        boolean sameDims(ReadRow other) {
            for (int k = 0; k < values.length; k++) {
                if (!Arrays.equals(values[k].dims(), other.values[k].dims())) {
                    return false;
                }
            }
            return true;
        }
    }
}
