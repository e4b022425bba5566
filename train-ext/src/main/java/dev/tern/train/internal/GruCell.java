package dev.tern.train.internal;

import dev.tern.ir.Value;

import java.util.List;

/**
 * GRU, gates stacked z, r, h:
 * <pre>
 * z = f(X_t Wz^T + H Rz^T + Wbz + Rbz)
 * r = f(X_t Wr^T + H Rr^T + Wbr + Rbr)
 * h = g(X_t Wh^T + (r * H) Rh^T + Rbh + Wbh)       linear_before_reset = 0
 * h = g(X_t Wh^T + r * (H Rh^T + Rbh) + Wbh)       linear_before_reset = 1
 * H_t = (1 - z) * h + z * H
 * </pre>
 * The update and reset gates share one product with the first two blocks of R; the hidden
 * gate's block is kept apart because the reset gate enters it before or after R.
 */
final class GruCell implements RecurrentCell {
    private static final int UPDATE_AND_RESET = 2;
    private static final int HIDDEN = 1;

    private final GateArithmetic math;
    private final GateActivation f;
    private final GateActivation g;
    private final boolean linearBeforeReset;
    private final Value updateResetKernel;
    private final Value hiddenKernel;
    private final Value updateResetBias;
    private final Value hiddenBias;

    GruCell(GateArithmetic math, DirectionWeights weights, List<GateActivation> activations, RecurrentSpec spec) {
        this.math = math;
        this.f = activations.get(0);
        this.g = activations.get(1);
        this.linearBeforeReset = spec.linearBeforeReset();
        List<Value> kernels = math.splitBlocks(weights.recurrentKernel(), UPDATE_AND_RESET, HIDDEN);
        this.updateResetKernel = kernels.get(0);
        this.hiddenKernel = kernels.get(1);
        List<Value> biases = math.splitBlocks(weights.recurrentBias(), UPDATE_AND_RESET, HIDDEN);
        this.updateResetBias = biases.get(0);
        this.hiddenBias = biases.get(1);
    }

    @Override
    public RecurrentState step(RecurrentState previous, Value projectedInput) {
        Value state = previous.hidden();
        List<Value> inputs = math.splitBlocks(projectedInput, UPDATE_AND_RESET, HIDDEN);
        Value updateReset = math.sum(inputs.get(0), math.recurrence(state, updateResetKernel), updateResetBias);
        List<Value> gates = math.splitBlocks(updateReset, 1, 1);
        Value update = math.gate(f, gates.get(0));
        Value reset = math.gate(f, gates.get(1));
        Value resetTerm = linearBeforeReset
                ? math.product(reset, math.sum(math.recurrence(state, hiddenKernel), hiddenBias))
                : math.sum(math.recurrence(math.product(reset, state), hiddenKernel), hiddenBias);
        Value candidate = math.gate(g, math.sum(inputs.get(1), resetTerm));
        Value hidden = math.sum(math.product(math.complement(update), candidate), math.product(update, state));
        return new RecurrentState(hidden, null);
    }
}
