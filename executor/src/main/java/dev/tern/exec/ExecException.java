package dev.tern.exec;

import dev.tern.ir.TernException;

/**
 * Root of the executor's exceptions. Messages name the model and, where there is one, the
 * input or output involved, with what was expected versus found.
 */
public class ExecException extends TernException {
    private static final long serialVersionUID = 1L;

    public ExecException(String message) {
        super(message);
    }

    public ExecException(String message, Throwable cause) {
        super(message, cause);
    }
}
