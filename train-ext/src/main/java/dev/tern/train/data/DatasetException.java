package dev.tern.train.data;

import dev.tern.ir.TernException;

/**
 * A data set cannot be read or used as asked: a file is malformed (the message names the file,
 * line and column), a label column or class folder is missing, or an option does not fit the
 * data (a feature shape whose size differs from the column count, augmentation of features
 * that are not images).
 */
public class DatasetException extends TernException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
