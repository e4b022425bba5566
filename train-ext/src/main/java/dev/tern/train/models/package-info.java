/**
 * Ready-made trainable models ({@link dev.tern.train.models.ModelTemplates}): an MLP and a
 * small CNN with initialized weights, for training from scratch (what {@code tern init-model}
 * writes).
 */
package dev.tern.train.models;
