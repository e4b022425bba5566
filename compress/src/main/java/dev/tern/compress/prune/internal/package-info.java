/**
 * Pruning's internals: which initializers are layer weights, tensor slicing along an axis, and
 * how a layer's output channels are followed to the weights downstream that must be cut with them.
 */
package dev.tern.compress.prune.internal;
