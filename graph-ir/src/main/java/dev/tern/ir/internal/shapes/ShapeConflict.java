package dev.tern.ir.internal.shapes;

/** Thrown by a rule whose node's inputs its op cannot accept; the engine reports it against the node. */
final class ShapeConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ShapeConflict(String message) {
        super(message);
    }
}
