/**
 * Model compression as graph passes over Tern IR: ensembles ({@link dev.tern.compress.Ensemble},
 * {@link dev.tern.compress.EnsemblePass}) here, quantization in {@link dev.tern.compress.quantize},
 * pruning in {@link dev.tern.compress.prune}; distillation belongs in this module too.
 */
package dev.tern.compress;
