/**
 * Fine-tuning on Tern IR. {@link dev.tern.train.Autodiff} turns a model and a scalar loss into
 * a model that also computes the loss's gradient with respect to chosen weights, in standard
 * {@code ai.onnx} ops only, so the stock ONNX Runtime package runs it.
 */
package dev.tern.train;
