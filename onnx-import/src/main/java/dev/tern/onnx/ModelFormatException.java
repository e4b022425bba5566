package dev.tern.onnx;

import dev.tern.ir.TernException;

/**
 * An ONNX file, byte array or stream that is not a model Tern can read or write: malformed
 * protobuf, sizes that do not add up, external data outside the model's folder, and so on.
 * The message starts with the file (or {@code <bytes>}, {@code <stream>}) and names the field
 * at fault, for example
 * {@code model.onnx: graph 'main' initializer 'W': raw_data has 12 bytes, dims [2, 3] of FLOAT need 24}.
 */
public class ModelFormatException extends TernException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
