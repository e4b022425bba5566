package dev.tern.compress.quantize.internal;

import dev.tern.compress.quantize.CalibrationMethod;
import dev.tern.compress.quantize.QuantizationException;
import dev.tern.compress.quantize.QuantizationSettings;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each activation's range over calibration data, as the settings' {@link CalibrationMethod}
 * picks it. A first pass over the batches finds every tensor's minimum and maximum; Percentile
 * and Entropy make a second pass binning the values into {@value #BINS} bins over
 * {@code [-m, m]}, m the largest magnitude seen. A histogram range is then narrowed to the
 * values seen, so a tensor that is never negative (after a ReLU) keeps its whole uint8 range
 * for its positive values.
 */
public final class Calibration {
    /** Histogram bins: 2048 as TensorRT's entropy calibration, fine enough for 99.999th percentiles. */
    static final int BINS = 2048;

    private Calibration() {
    }

    /**
     * The {@code [min, max]} range of every named tensor.
     *
     * @throws QuantizationException if there are no batches, a batch does not fit the model, or a
     *     tensor is not FLOAT or holds a value that is not finite
     */
    public static Map<String, float[]> ranges(Model model, Collection<String> tensorNames,
                                              Iterable<Map<String, Tensor>> batches, QuantizationSettings settings) {
        if (!batches.iterator().hasNext()) {
            throw new QuantizationException("model graph '" + model.graph().name()
                    + "': static quantization needs calibration data, found no batches");
        }
        Map<String, float[]> minMax = new LinkedHashMap<>();
        try (ActivationRecorder recorder = new ActivationRecorder(model, tensorNames)) {
            for (Map<String, Tensor> batch : batches) {
                recorder.record(batch, (name, values) -> widen(minMax, name, values));
            }
            // A tensor that was always empty has no range; [0, 0] quantizes it with scale 1.
            minMax.replaceAll((name, range) -> range[0] > range[1] ? new float[] {0, 0} : range);
            if (settings.calibration() == CalibrationMethod.MINMAX) {
                return minMax;
            }
            Map<String, Histogram> histograms = new LinkedHashMap<>();
            minMax.forEach((name, range) -> histograms.put(name,
                    new Histogram(Math.max(Math.max(-range[0], range[1]), Float.MIN_NORMAL), BINS)));
            for (Map<String, Tensor> batch : batches) {
                recorder.record(batch, (name, values) -> histograms.get(name).add(values));
            }
            Map<String, float[]> ranges = new LinkedHashMap<>();
            histograms.forEach((name, histogram) -> ranges.put(name,
                    narrowed(threshold(histogram, settings), minMax.get(name))));
            return ranges;
        }
    }

    private static float[] threshold(Histogram histogram, QuantizationSettings settings) {
        return settings.calibration() == CalibrationMethod.ENTROPY
                ? Thresholds.entropy(histogram)
                : Thresholds.percentile(histogram, settings.percentile(), settings.symmetricActivations());
    }

    private static float[] narrowed(float[] range, float[] seen) {
        return new float[] {Math.max(range[0], seen[0]), Math.min(range[1], seen[1])};
    }

    private static void widen(Map<String, float[]> ranges, String name, float[] values) {
        float[] range = ranges.computeIfAbsent(name, key -> new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
        for (float value : values) {
            if (!Float.isFinite(value)) {
                throw new QuantizationException("tensor '" + name + "': calibration found a value that is not finite ("
                        + value + ")");
            }
            range[0] = Math.min(range[0], value);
            range[1] = Math.max(range[1], value);
        }
    }
}
