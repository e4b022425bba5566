package dev.tern.train.data;

/**
 * A data set divided into training and validation parts. Both share the original's example
 * storage; no example is copied.
 *
 * @param train the examples to train on
 * @param validation the held-out examples
 */
public record Split(Dataset train, Dataset validation) {
}
