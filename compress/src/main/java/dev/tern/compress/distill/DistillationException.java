package dev.tern.compress.distill;

import dev.tern.ir.TernException;

/** A teacher and student that cannot be distilled together; the message names the model, the value and what disagrees. */
public class DistillationException extends TernException {
    private static final long serialVersionUID = 1L;

    public DistillationException(String message) {
        super(message);
    }
}
