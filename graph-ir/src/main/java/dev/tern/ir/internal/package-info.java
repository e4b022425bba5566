/**
 * Implementation details of the graph IR: validation, the def-use verifier, topological
 * ordering, and the modification flags and observed collections behind
 * {@code Model.isModified()}; shape inference lives in {@code shapes}. Not API: anything here may change
 * without notice.
 */
package dev.tern.ir.internal;
