package dev.tern.ir.internal.shapes;

/** Infers the output types of one node from its inputs and attributes. */
@FunctionalInterface
interface OpRule {
    /**
     * Sets whatever outputs it can through {@link NodeContext#setOutput}; leaves the rest.
     *
     * @throws ShapeConflict if the inputs cannot be valid for the op
     */
    void infer(NodeContext node);
}
