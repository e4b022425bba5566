package dev.tern.ir;

/** A misuse of the IR API: a mutation that would leave the graph inconsistent, a wrong attribute type, and so on. */
public class IrException extends TernException {
    private static final long serialVersionUID = 1L;

    public IrException(String message) {
        super(message);
    }
}
