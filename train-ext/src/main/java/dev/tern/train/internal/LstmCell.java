package dev.tern.train.internal;

import dev.tern.ir.Value;

import java.util.List;

/**
 * LSTM, gates stacked i, o, f, c:
 * <pre>
 * i = f(X_t Wi^T + H Ri^T + Pi * C + Wbi + Rbi)
 * f = f(X_t Wf^T + H Rf^T + Pf * C + Wbf + Rbf)     or 1 - i with input_forget
 * c = g(X_t Wc^T + H Rc^T + Wbc + Rbc)
 * C_t = f * C + i * c
 * o = f(X_t Wo^T + H Ro^T + Po * C_t + Wbo + Rbo)
 * H_t = o * h(C_t)
 * </pre>
 */
final class LstmCell implements RecurrentCell {
    private final GateArithmetic math;
    private final DirectionWeights weights;
    private final GateActivation f;
    private final GateActivation g;
    private final GateActivation h;
    private final boolean inputForget;
    private final Value inputPeephole;
    private final Value outputPeephole;
    private final Value forgetPeephole;

    LstmCell(GateArithmetic math, DirectionWeights weights, List<GateActivation> activations, RecurrentSpec spec) {
        this.math = math;
        this.weights = weights;
        this.f = activations.get(0);
        this.g = activations.get(1);
        this.h = activations.get(2);
        this.inputForget = spec.inputForget();
        List<Value> peepholes = math.splitBlocks(weights.peepholes(), 1, 1, 1);
        this.inputPeephole = peepholes.get(0);
        this.outputPeephole = peepholes.get(1);
        this.forgetPeephole = peepholes.get(2);
    }

    @Override
    public RecurrentState step(RecurrentState previous, Value projectedInput) {
        Value cell = previous.cell();
        Value recurrent = math.recurrence(previous.hidden(), weights.recurrentKernel());
        List<Value> gates = math.splitBlocks(math.sum(projectedInput, recurrent, weights.recurrentBias()), 1, 1, 1, 1);
        Value input = math.gate(f, math.sum(gates.get(0), math.product(inputPeephole, cell)));
        Value forget = inputForget
                ? math.complement(input)
                : math.gate(f, math.sum(gates.get(2), math.product(forgetPeephole, cell)));
        Value candidate = math.gate(g, gates.get(3));
        Value nextCell = math.sum(math.product(forget, cell), math.product(input, candidate));
        Value output = math.gate(f, math.sum(gates.get(1), math.product(outputPeephole, nextCell)));
        Value hidden = math.product(output, math.unclipped(h, nextCell));
        return new RecurrentState(hidden, nextCell);
    }
}
