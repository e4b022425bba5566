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
 *       A loss may also be a sum of {@link dev.tern.train.LossTerms} over named outputs and
 *       targets (an autoencoder's input, a VAE's KL term), each reported on its own; random
 *       ops draw from a seeded stream. Sessions save and restore checkpoints, read and set
 *       weights, and export the trained model (or a part of it, a VAE's decoder) for
 *       inference with noise replaced by its mean.</li>
 *   <li>{@link dev.tern.train.Trainer} runs a session for epochs over a
 *       {@link dev.tern.train.data.BatchLoader}: validation loss per term, accuracy and errors
 *       by name, a best epoch and early stopping on a {@link dev.tern.train.Monitor}ed metric,
 *       per-epoch checkpoints and resuming, progress through a
 *       {@link dev.tern.train.TrainingListener}.</li>
 *   <li>{@link dev.tern.train.FineTune} is the recipe of {@code tern finetune} as a library
 *       call: weights by scope, loss, optimizer, schedule, trainer and export.
 *       {@link dev.tern.train.FineTuneData} prepares what it trains on from files as the
 *       command does (a CSV table or image folder with scaling, augmentation and a split; a
 *       text file with a tokenizer and a new classification head), and every model the
 *       result hands back carries the data's scaling and class names
 *       ({@link dev.tern.train.ExportAdditions}). {@link dev.tern.train.GanFineTune} does the
 *       same for a GAN.</li>
 * </ul>
 */
package dev.tern.train;
