package dev.tern.train.internal;

import dev.tern.ir.Value;

/**
 * The state a recurrent cell carries from one step to the next, each [batch, hidden]. A
 * {@code null} part stands for zeros: the state before the first step when the node has no
 * initial state, and the cell state of ops that have none.
 *
 * @param hidden H
 * @param cell LSTM's C
 */
record RecurrentState(Value hidden, Value cell) {
}
