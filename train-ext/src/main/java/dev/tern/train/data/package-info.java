/**
 * Labelled data sets for training: read from CSV ({@link dev.tern.train.data.CsvDatasetReader}),
 * {@code .npy} pairs ({@link dev.tern.train.data.NpyDatasetReader}) or image folders
 * ({@link dev.tern.train.data.ImageFolderReader}); shuffled and split reproducibly by seed
 * ({@link dev.tern.train.data.Dataset}); and cut into mini-batches of IR tensors over direct
 * buffers with optional normalization, image augmentation (shifts, flips, noise,
 * {@link dev.tern.train.data.RandomAffine} rotation, scaling and shear,
 * {@link dev.tern.train.data.RandomErasing}) and {@link dev.tern.train.data.Mixup}
 * ({@link dev.tern.train.data.BatchLoader}). Per-feature scaling from training statistics
 * ({@link dev.tern.train.data.FeatureScaling}, chosen by a {@link dev.tern.train.data.ScalingMethod})
 * can also be written into a trained model. {@link dev.tern.train.data.ExampleFiles} reads a
 * fine-tuning's CSV table (laid out as a {@link dev.tern.train.data.CsvLayout} says) or image
 * folder in a model input's {@link dev.tern.train.data.ExampleShape}.
 * Examples are stored once; views and batches do not copy the data set.
 */
package dev.tern.train.data;
