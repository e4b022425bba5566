package dev.tern.train.internal;

import dev.tern.ir.Value;

import java.util.List;

/** RNN: H_t = f(X_t W^T + H_{t-1} R^T + Wb + Rb). */
final class RnnCell implements RecurrentCell {
    private final GateArithmetic math;
    private final DirectionWeights weights;
    private final GateActivation f;

    RnnCell(GateArithmetic math, DirectionWeights weights, List<GateActivation> activations) {
        this.math = math;
        this.weights = weights;
        this.f = activations.get(0);
    }

    @Override
    public RecurrentState step(RecurrentState previous, Value projectedInput) {
        Value recurrent = math.recurrence(previous.hidden(), weights.recurrentKernel());
        Value hidden = math.gate(f, math.sum(projectedInput, recurrent, weights.recurrentBias()));
        return new RecurrentState(hidden, null);
    }
}
