/**
 * Ensemble models: the order an ensemble's steps run in, checked when it loads
 * ({@link dev.tern.server.internal.ensemble.EnsemblePlan}), and the instance that runs them
 * through each member's own scheduler ({@link dev.tern.server.internal.ensemble.EnsembleInstance}).
 */
package dev.tern.server.internal.ensemble;
