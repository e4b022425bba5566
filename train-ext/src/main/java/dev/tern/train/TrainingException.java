package dev.tern.train;

import dev.tern.ir.TernException;

/**
 * A training session cannot be built or used as asked: a bad configuration (unknown
 * prediction output or trainable weight, a loss whose shapes do not fit), or a checkpoint
 * that cannot be read or does not match the session. The message names the model, value or
 * file involved and what was expected versus found.
 */
public class TrainingException extends TernException {
    private static final long serialVersionUID = 1L;

    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
