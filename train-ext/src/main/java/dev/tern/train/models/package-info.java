/**
 * Ready-made trainable models ({@link dev.tern.train.models.ModelTemplates}): MLPs for
 * classification and regression, a small CNN, an autoencoder, a VAE and LSTM and GRU token
 * classifiers with initialized weights and their task in their metadata, for training from
 * scratch (what {@code tern init-model} writes); a classification head for text encoders
 * ({@link dev.tern.train.models.ClassifierHead}); and the class names a classifier keeps in its
 * metadata ({@link dev.tern.train.models.ClassNames}).
 */
package dev.tern.train.models;
