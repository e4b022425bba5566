package dev.tern.ir;

/**
 * A {@code .npy} file or stream that Tern cannot read, or a tensor that {@code .npy} cannot
 * hold. The message names the file (or stream) and what was expected versus found.
 */
public class NpyFormatException extends TernException {
    private static final long serialVersionUID = 1L;

    public NpyFormatException(String message) {
        super(message);
    }
}
