package dev.tern.train.internal;

import dev.tern.ir.Tensor;

/**
 * One tensor a training step carries to the next: a trainable weight or a piece of optimizer
 * state, read from graph input {@code input} and written to graph output {@code output}.
 *
 * @param initial its value before the first step: the weight's initializer, or zeros
 */
public record StateSlot(String input, String output, Tensor initial) {
}
