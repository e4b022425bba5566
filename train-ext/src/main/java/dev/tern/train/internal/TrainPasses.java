package dev.tern.train.internal;

import dev.tern.ir.Model;
import dev.tern.ir.passes.Pass;
import dev.tern.ir.passes.PassException;
import dev.tern.ir.passes.PassManager;
import dev.tern.ir.passes.PassResult;

/** Applies passes behind train-ext's public API, which promises its callers its own exception types. */
public final class TrainPasses {
    private TrainPasses() {
    }

    /**
     * Applies {@code pass} to {@code model}. A failure caused by an {@code expected} exception,
     * the refusal the public API documents ("cannot expand LSTM at node ...", "graph has no input
     * ..."), is rethrown as it is; any other stays the {@link PassException} naming the pass.
     */
    public static <E extends RuntimeException> PassResult apply(Pass pass, Model model, Class<E> expected) {
        return apply(PassManager.builder().add(pass).build(), model, expected);
    }

    /** Applies {@code passes} to {@code model}, rethrowing failures as {@link #apply(Pass, Model, Class)} does. */
    public static <E extends RuntimeException> PassResult apply(PassManager passes, Model model, Class<E> expected) {
        try {
            return passes.apply(model);
        } catch (PassException e) {
            if (expected.isInstance(e.getCause())) {
                throw expected.cast(e.getCause());
            }
            throw e;
        }
    }
}
