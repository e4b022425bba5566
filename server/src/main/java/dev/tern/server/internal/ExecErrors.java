package dev.tern.server.internal;

import dev.tern.exec.ClosedException;
import dev.tern.exec.ExecException;
import dev.tern.exec.InvalidInputException;
import dev.tern.exec.RunCancelledException;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import dev.tern.server.internal.repository.ModelVersion;

/** The executor's exceptions as the protocol's statuses. */
public final class ExecErrors {
    private ExecErrors() {
    }

    /**
     * The status for a failed run of {@code model}: a {@link StatusException} as it is, inputs
     * that do not fit INVALID_ARGUMENT, a run past its deadline DEADLINE_EXCEEDED, a model
     * unloaded under the run UNAVAILABLE, any other failure INTERNAL.
     */
    public static StatusException toStatus(RuntimeException error, ModelVersion model) {
        if (error instanceof StatusException status) {
            return status;
        }
        if (error instanceof InvalidInputException) {
            return Status.invalidArgument(error.getMessage()).asException(error);
        }
        if (error instanceof RunCancelledException) {
            return Status.of(Status.Code.DEADLINE_EXCEEDED, error.getMessage()).asException(error);
        }
        if (error instanceof ClosedException) {
            return Status.unavailable(model.describe() + " was unloaded: " + error.getMessage()).asException(error);
        }
        if (error instanceof ExecException) {
            return Status.internal(error.getMessage()).asException(error);
        }
        return Status.internal(model.describe() + ": unexpected failure: " + error).asException(error);
    }
}
