package dev.tern.compress.quantize;

/** How static quantization turns the activations seen on calibration data into a range to quantize. */
public enum CalibrationMethod {
    /** The smallest and largest value seen: nothing clips, but one outlier coarsens every step. */
    MINMAX,
    /**
     * The range holding {@link QuantizationSettings#percentile()} percent of the values seen
     * (of their magnitudes when activations are symmetric): the rarest outliers clip.
     */
    PERCENTILE,
    /**
     * The symmetric threshold whose quantized histogram is closest to the float one by
     * Kullback-Leibler divergence, as ONNX Runtime's entropy calibrator.
     */
    ENTROPY
}
