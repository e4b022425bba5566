package dev.tern.ir;

/**
 * Root of every exception Tern throws on purpose. Messages say where the problem is (file,
 * node name and op, tensor or value name) and what was expected versus found.
 */
public class TernException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TernException(String message) {
        super(message);
    }

    public TernException(String message, Throwable cause) {
        super(message, cause);
    }
}
