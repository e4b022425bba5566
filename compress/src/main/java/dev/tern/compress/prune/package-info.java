/**
 * Pruning: unstructured magnitude pruning to a target sparsity, global or per layer
 * ({@link dev.tern.compress.prune.MagnitudePruning}), gradually while fine-tuning with the masks
 * in the training graph ({@link dev.tern.compress.prune.GradualPruning},
 * {@link dev.tern.compress.prune.MaskInsertion}, {@link dev.tern.compress.prune.MaskFolding}),
 * and structured pruning that removes whole output channels and neurons.
 */
package dev.tern.compress.prune;
