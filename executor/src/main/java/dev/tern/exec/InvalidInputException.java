package dev.tern.exec;

/**
 * The inputs of a run do not match the model: an unknown or missing name, a wrong element
 * type, rank or dimension. Thrown before anything reaches native code.
 */
public class InvalidInputException extends ExecException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}
