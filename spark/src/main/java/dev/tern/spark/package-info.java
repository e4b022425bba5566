/**
 * Tern on Apache Spark: {@link dev.tern.spark.TernModel}, a Spark ML {@code Transformer} (and a
 * Spark SQL function) that runs an ONNX model over a {@code Dataset}'s rows, batching them into
 * ONNX Runtime runs on a model compiled once per executor JVM.
 */
package dev.tern.spark;
