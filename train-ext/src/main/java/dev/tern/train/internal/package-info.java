/**
 * How {@link dev.tern.train.Autodiff} works: copying the model, expanding composite ops,
 * finding the nodes between the trainable values and the loss, the per-op gradient rules and
 * the emitter that writes their ops in the model's opset. May change freely; not API.
 */
package dev.tern.train.internal;
