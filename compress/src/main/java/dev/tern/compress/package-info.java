/**
 * Model compression as graph passes over Tern IR: ensembles ({@link dev.tern.compress.Ensemble},
 * {@link dev.tern.compress.EnsemblePass}) and pruning ({@code dev.tern.compress.prune}); quantization
 * and distillation belong here too.
 */
package dev.tern.compress;
