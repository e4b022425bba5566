/**
 * Model compression as graph passes over Tern IR: ensembles ({@link dev.tern.compress.Ensemble},
 * {@link dev.tern.compress.EnsemblePass}) here, quantization in {@link dev.tern.compress.quantize};
 * pruning and distillation belong in this module too.
 */
package dev.tern.compress;
