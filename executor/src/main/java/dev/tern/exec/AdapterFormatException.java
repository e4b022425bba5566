package dev.tern.exec;

/**
 * Bytes that are not a readable ONNX Runtime adapter file ({@code .onnx_adapter}): a wrong
 * identifier or format version, an offset or length outside the file, a parameter without a
 * name or with data that do not match its shape and type. The message names the file.
 */
public class AdapterFormatException extends ExecException {
    private static final long serialVersionUID = 1L;

    public AdapterFormatException(String message) {
        super(message);
    }
}
