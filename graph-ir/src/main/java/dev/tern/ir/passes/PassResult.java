package dev.tern.ir.passes;

import dev.tern.ir.Model;

import java.util.Objects;

/**
 * What a pass returns: the model it produced (the one it was given for an in-place pass, a new
 * one for a pass that works on a copy) and whether that model differs from its input.
 *
 * @param model the resulting model
 * @param modified whether the pass changed anything
 */
public record PassResult(Model model, boolean modified) {
    /**
     * @throws NullPointerException if {@code model} is null
     */
    public PassResult {
        Objects.requireNonNull(model, "model");
    }
}
