package dev.tern.spark.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.spark.RingAllReduce;
import dev.tern.train.Gradients;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Averages a step's gradients and loss across the ring, each task weighted by its rows in the
 * step: a task's gradient is the mean over its own rows, so the global batch's mean is
 * {@code sum(rows_i * gradient_i) / sum(rows_i)}, whichever way the batch was split. One
 * all-reduce carries the weighted gradients, the weighted loss and the weight itself, so every
 * task ends with bit-identical averages (the ring sums each element once, then copies it).
 */
final class GradientAverage {
    private GradientAverage() {
    }

    /**
     * The global batch's mean gradients and loss, from this task's over {@code rows} rows.
     *
     * @throws IllegalArgumentException if a gradient is not FLOAT (the ring carries floats)
     * @throws java.io.UncheckedIOException if a peer fails
     */
    static Gradients of(Gradients local, int rows, RingAllReduce ring) {
        int length = 2;
        for (Map.Entry<String, Tensor> gradient : local.values().entrySet()) {
            if (gradient.getValue().elementType() != ElementType.FLOAT) {
                throw new IllegalArgumentException("weight '" + gradient.getKey() + "' is "
                        + gradient.getValue().elementType() + "; gradients are averaged across tasks as FLOAT only");
            }
            length = Math.addExact(length, Math.toIntExact(gradient.getValue().elementCount()));
        }
        float[] packed = new float[length];
        int offset = 0;
        for (Tensor gradient : local.values().values()) {
            float[] values = gradient.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                packed[offset + i] = rows * values[i];
            }
            offset += values.length;
        }
        packed[offset] = (float) (rows * local.loss());
        packed[offset + 1] = rows;
        ring.averageInPlace(packed);
        // Both sums were divided by the number of tasks; the ratio cancels it.
        float meanRows = packed[offset + 1];
        Map<String, Tensor> averaged = new LinkedHashMap<>();
        offset = 0;
        for (Map.Entry<String, Tensor> gradient : local.values().entrySet()) {
            float[] values = new float[(int) gradient.getValue().elementCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = packed[offset + i] / meanRows;
            }
            offset += values.length;
            averaged.put(gradient.getKey(), Tensor.ofFloats(gradient.getKey(), gradient.getValue().dims(), values));
        }
        return local.with(packed[offset] / meanRows, averaged);
    }
}
