/**
 * Implementation details of the graph IR: validation, the def-use verifier, model copying, topological
 * ordering, and the modification flags and observed collections behind
 * {@code Model.isModified()}; shape inference lives in {@code shapes}. Not API: anything here may change
 * without notice. The constant-folding pass's kernels live in {@code folding}.
 */
package dev.tern.ir.internal;
