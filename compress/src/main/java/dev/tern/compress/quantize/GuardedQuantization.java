package dev.tern.compress.quantize;

import java.util.List;
import java.util.Objects;

/**
 * What {@link AccuracyGuard} produced: the quantized model, the metric before and after, and each
 * layer's sensitivity, most sensitive first.
 *
 * @param result the quantized model and the nodes it quantizes
 * @param floatScore the float model's metric
 * @param quantizedScore the written model's metric
 * @param layers every quantizable layer, by falling error
 */
public record GuardedQuantization(QuantizationResult result, double floatScore, double quantizedScore,
                                  List<LayerSensitivity> layers) {
    /** @throws NullPointerException if an argument is null */
    public GuardedQuantization {
        Objects.requireNonNull(result, "result");
        layers = List.copyOf(layers);
    }

    /** The metric's drop in points (hundredths): 100 times float minus quantized. */
    public double dropPoints() {
        return 100 * (floatScore - quantizedScore);
    }
}
