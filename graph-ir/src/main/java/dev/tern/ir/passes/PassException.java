package dev.tern.ir.passes;

import dev.tern.ir.TernException;

/**
 * A pass failed: its precondition did not hold, it threw, it broke the def-use invariant, or
 * its postcondition did not hold. The message starts with the pass's name and the phase.
 */
public class PassException extends TernException {
    private static final long serialVersionUID = 1L;

    private final String passName;

    public PassException(String passName, String message) {
        super("pass '" + passName + "': " + message);
        this.passName = passName;
    }

    public PassException(String passName, String message, Throwable cause) {
        super("pass '" + passName + "': " + message, cause);
        this.passName = passName;
    }

    /** The name of the pass that failed. */
    public String passName() {
        return passName;
    }
}
