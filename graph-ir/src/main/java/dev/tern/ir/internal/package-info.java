/**
 * Implementation details of the graph IR: validation, the def-use verifier and topological
 * ordering; shape inference lives in {@code shapes}. Not API: anything here may change
 * without notice.
 */
package dev.tern.ir.internal;
