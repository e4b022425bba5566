package dev.tern.compress.prune;

import dev.tern.ir.TernException;

/** A model that cannot be pruned as asked; the message names the weight or node and what stands in the way. */
public class PruningException extends TernException {
    private static final long serialVersionUID = 1L;

    public PruningException(String message) {
        super(message);
    }
}
