package dev.tern.ir;

/**
 * Thrown by {@link Model#validate()} and {@link Graph#validate()}: the model breaks an IR or
 * ONNX rule. The message names the graph, the node (name, op, domain) and the value involved.
 */
public class ValidationException extends TernException {
    private static final long serialVersionUID = 1L;

    public ValidationException(String message) {
        super(message);
    }
}
