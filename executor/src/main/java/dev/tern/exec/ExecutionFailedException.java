package dev.tern.exec;

/**
 * ONNX Runtime refused to create a session or failed during a run. The message names the
 * model and carries ONNX Runtime's own error text.
 */
public class ExecutionFailedException extends ExecException {
    private static final long serialVersionUID = 1L;

    public ExecutionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
