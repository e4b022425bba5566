/**
 * How {@link dev.tern.train.Autodiff} and {@link dev.tern.train.TrainingSession} work:
 * copying the model, expanding composite ops, finding the nodes between the trainable values
 * and the loss, the per-op gradient rules (each with a general form, some also with a faster
 * specialized form chosen by op attributes and static shapes) and the emitter that writes
 * their ops in the model's opset; the loss and optimizer graphs appended for training; each trained group's
 * step, evaluation and state ({@link dev.tern.train.internal.GroupTraining}, shared by single and grouped
 * sessions), the swapped state sets, the checkpoint file format and the trainer's checkpoint folder. May
 * change freely; not API.
 */
package dev.tern.train.internal;
