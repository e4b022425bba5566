/**
 * Pure-Java evaluation of operators over constant tensors, for the constant-folding pass: one
 * {@link dev.tern.ir.internal.folding.FoldingKernel} per operator, found through
 * {@link dev.tern.ir.internal.folding.FoldingKernels}. Not API.
 */
package dev.tern.ir.internal.folding;
