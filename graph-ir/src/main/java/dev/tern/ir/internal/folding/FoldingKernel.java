package dev.tern.ir.internal.folding;

import dev.tern.ir.Node;
import dev.tern.ir.Tensor;

import java.util.List;
import java.util.Optional;

/** Computes one operator's outputs from constant inputs. */
@FunctionalInterface
public interface FoldingKernel {
    /**
     * The node's outputs (unnamed tensors, one per output), or empty when this kernel cannot
     * compute them exactly (an element type it does not handle, an integer division by zero,
     * a result too large to be worth folding).
     *
     * @param inputs the node's inputs' constants, {@code null} where an input is omitted
     */
    Optional<List<Tensor>> evaluate(Node node, List<Tensor> inputs);
}
