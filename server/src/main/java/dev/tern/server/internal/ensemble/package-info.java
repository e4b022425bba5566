/**
 * Ensemble models: the order an ensemble's steps run in, checked when it loads
 * ({@link dev.tern.server.internal.ensemble.EnsemblePlan}), the check that each step's member
 * serves the version and tensors the step names, also when it loads
 * ({@link dev.tern.server.internal.ensemble.MemberCheck}), and the instance that runs the steps
 * through each member's own scheduler ({@link dev.tern.server.internal.ensemble.EnsembleInstance}).
 */
package dev.tern.server.internal.ensemble;
