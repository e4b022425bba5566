package dev.tern.server.internal.scheduling;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.server.Status;
import dev.tern.server.internal.repository.ModelVersion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Joining a batch's inputs along dim 0 and handing each request its rows of the outputs. */
final class BatchTensors {
    private BatchTensors() {
    }

    /** Every request's inputs concatenated along dim 0, in the batch's order; one copy per input. */
    static Map<String, Tensor> concatenate(List<PendingRequest> batch) {
        long rows = rows(batch);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : batch.get(0).inputs().entrySet()) {
            String name = entry.getKey();
            Tensor first = entry.getValue();
            long[] dims = first.dims().clone();
            dims[0] = rows;
            if (first.elementType() == ElementType.STRING) {
                List<byte[]> strings = new ArrayList<>();
                batch.forEach(pending -> strings.addAll(pending.inputs().get(name).strings()));
                inputs.put(name, Tensor.ofStrings(name, dims, strings));
                continue;
            }
            long bytes = batch.stream().mapToLong(pending -> pending.inputs().get(name).byteSize()).sum();
            ByteBuffer data = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
            batch.forEach(pending -> data.put(pending.inputs().get(name).data()));
            data.flip();
            inputs.put(name, Tensor.of(name, first.elementType(), dims, data));
        }
        return inputs;
    }

    /**
     * Each request's rows of every output, in the batch's order, sharing the outputs' memory.
     *
     * @throws dev.tern.server.StatusException INTERNAL naming the output when one does not
     *     keep the batch in dim 0
     */
    static List<Map<String, Tensor>> split(Map<String, Tensor> outputs, List<PendingRequest> batch,
                                           ModelVersion model) {
        long rows = rows(batch);
        for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
            long[] dims = output.getValue().dims();
            if (dims.length == 0 || dims[0] != rows) {
                throw Status.internal(model.describe() + ": output '" + output.getKey() + "' has shape "
                        + Arrays.toString(dims) + " for a batch of " + rows + " rows; a model with max_batch_size"
                        + " must keep the batch in dim 0 of every output").asException();
            }
        }
        List<Map<String, Tensor>> split = new ArrayList<>();
        long offset = 0;
        for (PendingRequest pending : batch) {
            Map<String, Tensor> own = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
                own.put(output.getKey(), rows(output.getValue(), offset, pending.rows(), rows));
            }
            offset += pending.rows();
            split.add(own);
        }
        return split;
    }

    private static long rows(List<PendingRequest> batch) {
        return batch.stream().mapToLong(PendingRequest::rows).sum();
    }

    /** Rows {@code [from, from + count)} of {@code tensor}, sharing its memory. */
    private static Tensor rows(Tensor tensor, long from, long count, long totalRows) {
        long[] dims = tensor.dims().clone();
        dims[0] = count;
        if (tensor.elementType() == ElementType.STRING) {
            int perRow = Math.toIntExact(tensor.elementCount() / totalRows);
            List<byte[]> strings = tensor.strings().subList(Math.toIntExact(from * perRow),
                    Math.toIntExact((from + count) * perRow));
            return Tensor.ofStrings(tensor.name(), dims, strings);
        }
        long rowBytes = tensor.byteSize() / totalRows;
        ByteBuffer slice = tensor.data()
                .position(Math.toIntExact(from * rowBytes))
                .limit(Math.toIntExact((from + count) * rowBytes))
                .slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        return Tensor.of(tensor.name(), tensor.elementType(), dims, slice);
    }
}
