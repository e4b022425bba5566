package dev.tern.spark;

import dev.tern.ir.TernException;

/**
 * A row whose value for a model input cannot be fed to the model: null, of the wrong length,
 * or text where numbers are expected. The message names the column, the row (partition and
 * position in it) and what was expected versus found. Thrown on an executor, it fails the
 * task; with {@link TernModel.Builder#errorColumn} the message goes to that column instead.
 */
public final class BadRowException extends TernException {
    private static final long serialVersionUID = 1L;

    public BadRowException(String message) {
        super(message);
    }
}
