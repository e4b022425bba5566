/**
 * Fine-tuning on Tern IR, run by the stock ONNX Runtime package.
 *
 * <ul>
 *   <li>{@link dev.tern.train.Autodiff} turns a model and a scalar loss into a model that also
 *       computes the loss's gradient with respect to chosen weights, in standard
 *       {@code ai.onnx} ops only.</li>
 *   <li>{@link dev.tern.train.TrainingSession} trains a forward model: a {@link dev.tern.train.Loss}
 *       and an {@link dev.tern.train.Optimizer} are appended to it as graph ops, so one ONNX
 *       Runtime run per step does forward, loss, backward and update, with the weights and
 *       optimizer state kept in ONNX Runtime's memory between steps. A
 *       {@link dev.tern.train.LearningRateSchedule} feeds the learning rate each step.
 *       Sessions save and restore checkpoints and export the trained model for inference.</li>
 * </ul>
 */
package dev.tern.train;
