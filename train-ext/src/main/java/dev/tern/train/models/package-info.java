/**
 * Ready-made trainable models ({@link dev.tern.train.models.ModelTemplates}): MLPs for
 * classification and regression and a small CNN with initialized weights, for training from
 * scratch (what {@code tern init-model} writes); a classification head for text encoders
 * ({@link dev.tern.train.models.ClassifierHead}); and the class names a classifier keeps in its
 * metadata ({@link dev.tern.train.models.ClassNames}).
 */
package dev.tern.train.models;
