package dev.tern.compress.quantize;

import dev.tern.ir.TernException;

/**
 * A model cannot be quantized as asked: nothing in it is quantizable, an excluded name matches
 * no node, or calibration data does not fit it. The message names the model, node or tensor and
 * what was expected versus found.
 */
public class QuantizationException extends TernException {
    private static final long serialVersionUID = 1L;

    public QuantizationException(String message) {
        super(message);
    }

    public QuantizationException(String message, Throwable cause) {
        super(message, cause);
    }
}
