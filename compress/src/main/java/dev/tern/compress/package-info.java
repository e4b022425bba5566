/**
 * Model compression as graph passes over Tern IR: ensembles ({@link dev.tern.compress.Ensemble},
 * {@link dev.tern.compress.EnsemblePass}) so far; quantization, pruning and distillation belong
 * here too.
 */
package dev.tern.compress;
