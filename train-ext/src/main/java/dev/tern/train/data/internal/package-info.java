/**
 * Implementation details of {@link dev.tern.train.data}: seeded permutations, image decoding,
 * resizing and affine warping. May change freely.
 */
package dev.tern.train.data.internal;
