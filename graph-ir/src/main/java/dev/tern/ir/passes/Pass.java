package dev.tern.ir.passes;

import dev.tern.ir.Model;
import dev.tern.ir.ValidationException;
import dev.tern.ir.internal.DefUseVerifier;

/**
 * One graph rewrite. A pass has a {@link #name()}, works either {@link #inPlace() in place} or
 * on a copy, states what it {@link #requires} of its input and what it {@link #ensures} of its
 * result, and names itself in every failure.
 *
 * <p>Subclasses implement {@link #run}, which always edits the model it is handed: for a pass
 * that works on a copy, {@link #apply(Model)} hands it a {@link Model#copy()} and the caller's
 * model stays as it was. {@code apply} checks the precondition, runs the pass, optionally runs
 * the def-use verifier, and checks the postcondition, turning any failure into a
 * {@link PassException} that starts with the pass's name.
 */
public abstract class Pass {
    /**
     * The system property that turns on the def-use verifier after every pass applied without
     * an explicit choice. The build sets it to {@code true} for every module's tests; it costs
     * a walk over the model per pass, so production runs leave it off.
     */
    public static final String VERIFY_PROPERTY = "tern.passes.verify";

    /** A short, stable, kebab-case name, as {@code tern optimize --passes} takes it. */
    public abstract String name();

    /**
     * Whether the pass edits the model it is given ({@code true}) or leaves it alone and returns
     * an edited copy ({@code false}).
     */
    public abstract boolean inPlace();

    /**
     * Checks that {@code model} is fit for the pass. The default accepts any model.
     *
     * @throws RuntimeException (any kind) saying what is missing; {@link #apply} reports it as a
     *     failed precondition of this pass
     */
    protected void requires(Model model) {
    }

    /**
     * Checks what the pass promises of its result. The default promises nothing beyond the
     * def-use invariant, which the verifier checks.
     *
     * @throws RuntimeException (any kind) saying what does not hold; {@link #apply} reports it as
     *     a failed postcondition of this pass
     */
    protected void ensures(Model model) {
    }

    /**
     * Rewrites {@code model} in place.
     *
     * @return whether anything changed
     */
    protected abstract boolean run(Model model);

    /**
     * Applies the pass, running the def-use verifier afterwards when the system property
     * {@value #VERIFY_PROPERTY} is {@code true}.
     *
     * @throws PassException naming this pass if its precondition or postcondition fails, it
     *     throws, or (when verifying) it leaves a use list wrong
     */
    public final PassResult apply(Model model) {
        return apply(model, verifiesByDefault());
    }

    /**
     * Applies the pass, running the def-use verifier afterwards if {@code verifyDefUse}.
     *
     * @throws PassException naming this pass if its precondition or postcondition fails, it
     *     throws, or (when verifying) it leaves a use list wrong
     */
    public final PassResult apply(Model model, boolean verifyDefUse) {
        try {
            requires(model);
        } catch (RuntimeException e) {
            throw new PassException(name(), "precondition failed: " + e.getMessage(), e);
        }
        Model target = inPlace() ? model : model.copy();
        boolean modified;
        try {
            modified = run(target);
        } catch (PassException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PassException(name(), "failed on model graph '" + target.graph().name() + "': "
                    + e.getMessage(), e);
        }
        if (verifyDefUse) {
            try {
                DefUseVerifier.verify(target);
            } catch (ValidationException e) {
                throw new PassException(name(), "left the def-use lists wrong: " + e.getMessage(), e);
            }
        }
        try {
            ensures(target);
        } catch (RuntimeException e) {
            throw new PassException(name(), "postcondition failed: " + e.getMessage(), e);
        }
        return new PassResult(target, modified);
    }

    /** Whether {@link #apply(Model)} runs the def-use verifier: the system property {@value #VERIFY_PROPERTY}. */
    public static boolean verifiesByDefault() {
        return Boolean.getBoolean(VERIFY_PROPERTY);
    }

    @Override
    public String toString() {
        return "Pass(" + name() + (inPlace() ? ", in place" : ", on a copy") + ")";
    }
}
