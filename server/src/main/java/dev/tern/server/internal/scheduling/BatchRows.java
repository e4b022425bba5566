package dev.tern.server.internal.scheduling;

import dev.tern.ir.Tensor;
import dev.tern.server.Status;
import dev.tern.server.internal.repository.ModelVersion;
import java.util.Arrays;
import java.util.Map;

/** The batch dimension of a request to a model with {@code max_batch_size} > 0: dim 0 of every input. */
public final class BatchRows {
    private BatchRows() {
    }

    /**
     * The request's batch size: dim 0, the same for every input, from 1 to {@code maxBatchSize}.
     *
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT naming the input otherwise
     */
    public static long of(Map<String, Tensor> inputs, ModelVersion model, int maxBatchSize) {
        long rows = -1;
        String first = null;
        for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
            long[] dims = input.getValue().dims();
            if (dims.length == 0) {
                throw Status.invalidArgument(model.describe() + " batches along dim 0, but input '" + input.getKey()
                        + "' is a scalar").asException();
            }
            if (rows < 0) {
                rows = dims[0];
                first = input.getKey();
            } else if (dims[0] != rows) {
                throw Status.invalidArgument(model.describe() + ": inputs must share their batch size (dim 0);"
                        + " input '" + first + "' has " + rows + ", input '" + input.getKey() + "' has shape "
                        + Arrays.toString(dims)).asException();
            }
        }
        if (rows < 1 || rows > maxBatchSize) {
            throw Status.invalidArgument(model.describe() + ": batch size (dim 0) must be from 1 to max_batch_size "
                    + maxBatchSize + ", found " + rows).asException();
        }
        return rows;
    }
}
