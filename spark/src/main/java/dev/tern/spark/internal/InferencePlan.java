package dev.tern.spark.internal;

import java.io.Serializable;
import java.util.List;

/**
 * Everything an executor needs to run a {@link dev.tern.spark.TernModel} over rows: the model,
 * the inputs read from columns at {@code columnIndexes} (the numeric inputs in order, then the
 * text input if any), the output columns, the batch size and thread count, and whether a bad
 * row fails the task or is reported in an error column.
 */
public record InferencePlan(Source model, List<NumericInput> numericInputs, TextInput textInput,
                            int[] columnIndexes, List<OutputColumn> outputs, int rowsPerRun, int threadsPerTask,
                            boolean collectErrors) implements Serializable {
    public InferencePlan {
        numericInputs = List.copyOf(numericInputs);
        outputs = List.copyOf(outputs);
        int expected = numericInputs.size() + (textInput == null ? 0 : 1);
        if (columnIndexes.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " column indexes, found "
                    + columnIndexes.length);
        }
    }
}
