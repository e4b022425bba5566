package dev.tern.compress;

import dev.tern.ir.TernException;

/** Members that cannot be merged into one ensemble graph; the message names the member and what disagrees. */
public class EnsembleException extends TernException {
    private static final long serialVersionUID = 1L;

    public EnsembleException(String message) {
        super(message);
    }
}
