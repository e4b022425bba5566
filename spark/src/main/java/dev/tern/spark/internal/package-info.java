/**
 * How {@link dev.tern.spark.TernModel} runs on executors: the per-JVM cache of compiled models,
 * reading columns into batch tensors, splitting output tensors into rows.
 */
package dev.tern.spark.internal;
