package dev.tern.exec;

/** A closed runtime, model, tensor or output set was used. The message says which. */
public class ClosedException extends ExecException {
    private static final long serialVersionUID = 1L;

    public ClosedException(String message) {
        super(message);
    }
}
