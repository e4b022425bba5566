package dev.tern.compress.quantize.internal;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far each quantized layer's output strays from the float model's: the relative L2 error
 * {@code ||quantized - float|| / ||float||} of the named tensors over every validation batch,
 * both models run on the same inputs. An error carries the quantization of every layer before
 * it that the quantized model quantizes.
 */
public final class LayerErrors {
    private LayerErrors() {
    }

    /** The relative error of each named tensor, in the order given. */
    public static Map<String, Double> measure(Model floatModel, Model quantized, List<String> tensorNames,
                                              Iterable<Map<String, Tensor>> batches) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        tensorNames.forEach(name -> sums.put(name, new double[2]));
        try (ActivationRecorder expected = new ActivationRecorder(floatModel, tensorNames);
             ActivationRecorder found = new ActivationRecorder(quantized, tensorNames)) {
            for (Map<String, Tensor> batch : batches) {
                Map<String, float[]> reference = new HashMap<>();
                expected.record(batch, reference::put);
                found.record(batch, (name, values) -> accumulate(sums.get(name), reference.get(name), values));
            }
        }
        Map<String, Double> errors = new LinkedHashMap<>();
        sums.forEach((name, sum) -> errors.put(name, sum[1] == 0 ? Math.sqrt(sum[0]) : Math.sqrt(sum[0] / sum[1])));
        return errors;
    }

    /** Adds the squared difference to {@code sum[0]} and the squared reference to {@code sum[1]}. */
    private static void accumulate(double[] sum, float[] reference, float[] values) {
        for (int i = 0; i < values.length; i++) {
            double difference = values[i] - reference[i];
            sum[0] += difference * difference;
            sum[1] += (double) reference[i] * reference[i];
        }
    }
}
