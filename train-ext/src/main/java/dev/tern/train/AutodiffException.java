package dev.tern.train;

import dev.tern.ir.TernException;

/**
 * Gradients cannot be built for a model: an op has no gradient rule, a rule needs a rank or
 * element type the model does not give, or an op is used in a form the rules do not cover.
 * The message names the node (name, op, domain) or the value involved.
 */
public class AutodiffException extends TernException {
    private static final long serialVersionUID = 1L;

    public AutodiffException(String message) {
        super(message);
    }
}
