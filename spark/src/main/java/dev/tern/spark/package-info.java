/**
 * Tern on Apache Spark: {@link dev.tern.spark.TernModel}, a Spark ML {@code Transformer} (and a
 * Spark SQL function) that runs an ONNX model over a {@code Dataset}'s rows, batching them into
 * ONNX Runtime runs on a model compiled once per executor JVM; and
 * {@link dev.tern.spark.DistributedTrainer}, data-parallel fine-tuning in a barrier stage whose
 * tasks average every step's gradients with a {@link dev.tern.spark.RingAllReduce}.
 */
package dev.tern.spark;
