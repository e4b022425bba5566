package dev.tern.train.internal;

import dev.tern.ir.Value;

/**
 * The recurrent parameters of one direction, as the cell's steps read them. A {@code null}
 * stands for an omitted input, which the ONNX spec makes zeros.
 *
 * @param recurrentKernel R transposed, [hidden, gates * hidden], so the state multiplies it from the left
 * @param recurrentBias Rb, [gates * hidden]
 * @param peepholes LSTM's P, [3 * hidden] in the order input, output, forget
 */
record DirectionWeights(Value recurrentKernel, Value recurrentBias, Value peepholes) {
}
