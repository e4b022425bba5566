/**
 * Knowledge distillation: a student trained on a teacher's softened class scores as well as on
 * the labels. {@link dev.tern.compress.distill.Distillation} merges a frozen teacher into the
 * student's training graph ({@link dev.tern.compress.distill.TeacherMerge}) or reads the
 * teacher's logits from a batch column, and sets up the loss and the
 * {@link dev.tern.train.FineTune} recipe that exports the student alone.
 */
package dev.tern.compress.distill;
