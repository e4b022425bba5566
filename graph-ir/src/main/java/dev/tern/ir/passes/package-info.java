/**
 * Graph rewrites as passes. A {@link dev.tern.ir.passes.Pass} has a name, works either in place
 * or on a copy of the model, checks what it requires before it runs and what it ensures after,
 * and names itself in every failure ({@link dev.tern.ir.passes.PassException}). A
 * {@link dev.tern.ir.passes.PassManager} runs several in order.
 *
 * <p>The def-use verifier runs after a pass when asked ({@link dev.tern.ir.passes.PassManager.Builder#verifyDefUse})
 * or when the system property {@value dev.tern.ir.passes.Pass#VERIFY_PROPERTY} is {@code true},
 * which the build sets for every module's tests.
 *
 * <p>The standard passes: {@link dev.tern.ir.passes.DeadNodeElimination},
 * {@link dev.tern.ir.passes.IdentityRemoval}, {@link dev.tern.ir.passes.ConstantFolding},
 * {@link dev.tern.ir.passes.DuplicateInitializerMerging} and
 * {@link dev.tern.ir.passes.ShapeInferencePass}; {@link dev.tern.ir.passes.StandardPasses}
 * finds them by name.
 */
package dev.tern.ir.passes;
