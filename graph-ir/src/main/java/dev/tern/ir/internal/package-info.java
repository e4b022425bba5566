/**
 * Implementation details of the graph IR: validation, the def-use verifier and topological
 * ordering. Not API: anything here may change without notice.
 */
package dev.tern.ir.internal;
