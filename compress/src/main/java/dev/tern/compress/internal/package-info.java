/** How {@link dev.tern.compress.EnsemblePass} merges member graphs: shared inputs, copied members, combined outputs. */
package dev.tern.compress.internal;
