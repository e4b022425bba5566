package dev.tern.exec;

/**
 * A run was stopped, by its {@link CancellationToken} or because its deadline passed. The
 * model stays usable; the run produced no outputs.
 */
public class RunCancelledException extends ExecException {
    private static final long serialVersionUID = 1L;
    private final boolean deadlineExceeded;

    public RunCancelledException(String message, boolean deadlineExceeded) {
        super(message);
        this.deadlineExceeded = deadlineExceeded;
    }

    /** Whether the run was stopped by its deadline rather than by a cancellation. */
    public boolean deadlineExceeded() {
        return deadlineExceeded;
    }
}
