/**
 * How {@link dev.tern.spark.TernModel} runs on executors: the per-JVM cache of compiled models,
 * reading columns into batch tensors, splitting output tensors into rows. How
 * {@link dev.tern.spark.DistributedTrainer}'s barrier tasks train: each task's share of the
 * global batch and its rows per step, the weighted gradient average, checkpoints and resumption.
 */
package dev.tern.spark.internal;
