/**
 * Implementation details of {@link dev.tern.train.data}: seeded permutations, image decoding
 * and resizing. May change freely.
 */
package dev.tern.train.data.internal;
