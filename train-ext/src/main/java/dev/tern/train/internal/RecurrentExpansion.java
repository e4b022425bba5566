package dev.tern.train.internal;

import dev.tern.ir.Node;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Rewrites an RNN, GRU or LSTM node into MatMul, Add, Mul, Sub, the gate activations, Clip,
 * Split, Squeeze, Unsqueeze, Concat and Transpose, unrolled over its statically known
 * sequence length. Per direction, the input projection X W^T + Wb is one MatMul over the
 * whole sequence; each step then adds the recurrent terms in its {@link RecurrentCell}. Y,
 * Y_h and Y_c are assembled only where something reads them.
 */
final class RecurrentExpansion {
    /** The hidden states of one direction at every time index, and its state after its last step. */
    private record Unrolled(List<Value> hiddenByTime, RecurrentState last) {
    }

    private final Node node;
    private final RecurrentSpec spec;
    private final Ops ops;
    private final TypedOps typed;
    private final GateArithmetic math;

    private RecurrentExpansion(Node node, RecurrentSpec spec, Ops ops) {
        this.node = node;
        this.spec = spec;
        this.ops = ops;
        this.typed = new TypedOps(ops);
        this.math = new GateArithmetic(typed, spec.hiddenSize(), spec.clip());
    }

    /**
     * Replaces {@code node}, an {@code ai.onnx} RNN, GRU or LSTM, by its unrolled form.
     *
     * @throws dev.tern.train.AutodiffException "cannot expand OP at node NAME: REASON", see {@link RecurrentSpec#read}
     */
    static void expand(Node node, RecurrentKind kind, Ops ops) {
        RecurrentSpec spec = RecurrentSpec.read(node, kind);
        ops.emitter().insertBefore(node);
        new RecurrentExpansion(node, spec, ops).expand();
        ops.emitter().append();
    }

    private void expand() {
        int directions = spec.directionCount();
        List<Value> inputWeights = perDirection(RecurrentSpec.W, 0);
        List<Value> recurrentWeights = perDirection(RecurrentSpec.R, 0);
        List<Value> biases = perDirection(RecurrentSpec.B, 0);
        List<Value> peepholes = perDirection(RecurrentSpec.P, 0);
        List<Value> initialHidden = perDirection(RecurrentSpec.INITIAL_H, spec.stateDirectionAxis());
        List<Value> initialCell = perDirection(RecurrentSpec.INITIAL_C, spec.stateDirectionAxis());
        Value sequenceLens = RecurrentSpec.optionalInput(node, RecurrentSpec.SEQUENCE_LENS);
        SequenceLengths lengths = sequenceLens == null ? null : SequenceLengths.of(ops, sequenceLens);
        List<Unrolled> unrolled = new ArrayList<>(directions);
        for (int d = 0; d < directions; d++) {
            List<Value> bias = inputAndRecurrentBias(biases.get(d));
            DirectionWeights weights = new DirectionWeights(typed.transpose(recurrentWeights.get(d)), bias.get(1),
                    peepholes.get(d));
            RecurrentCell cell = spec.kind().cell(math, weights, spec.activations().get(d), spec);
            List<Value> steps = projectedSteps(typed.transpose(inputWeights.get(d)), bias.get(0));
            RecurrentState initial = new RecurrentState(initialHidden.get(d), initialCell.get(d));
            unrolled.add(unroll(cell, steps, initial, spec.runsBackward(d), lengths));
        }
        Value y = isRead(0) ? sequenceOutput(unrolled) : null;
        Value lastHidden = isRead(1) ? stateOutput(unrolled, RecurrentState::hidden) : null;
        Value lastCell = spec.kind().hasCellState() && isRead(2) ? stateOutput(unrolled, RecurrentState::cell) : null;
        ops.emitter().replace(node, Arrays.asList(y, lastHidden, lastCell));
    }

    /**
     * The input at {@code index} cut into one piece per direction along {@code axis}, that axis
     * dropped; an omitted input gives {@code null}s (zeros).
     */
    private List<Value> perDirection(int index, int axis) {
        Value value = RecurrentSpec.optionalInput(node, index);
        int directions = spec.directionCount();
        if (value == null) {
            return Collections.nCopies(directions, null);
        }
        long[] ones = new long[directions];
        Arrays.fill(ones, 1);
        return typed.split(value, axis, ones).stream().map(piece -> typed.squeeze(piece, axis)).toList();
    }

    /** One direction's B, [2 * gates * hidden], cut into Wb and Rb; {@code null}s (zeros) when B is omitted. */
    private List<Value> inputAndRecurrentBias(Value bias) {
        if (bias == null) {
            return Arrays.asList(null, null);
        }
        long stacked = spec.kind().gateCount() * spec.hiddenSize();
        return typed.split(bias, 0, stacked, stacked);
    }

    /** X W^T + Wb, one MatMul over the whole sequence, cut into the [batch, gates * hidden] input term of each step. */
    private List<Value> projectedSteps(Value inputKernel, Value inputBias) {
        Value projected = math.sum(typed.matMul(node.input(RecurrentSpec.X), inputKernel), inputBias);
        int timeAxis = spec.timeAxis();
        long[] ones = new long[(int) spec.sequenceLength()];
        Arrays.fill(ones, 1);
        return typed.split(projected, timeAxis, ones).stream().map(step -> typed.squeeze(step, timeAxis)).toList();
    }

    /** @param lengths the node's sequence lengths, or {@code null} when every sequence runs the full length */
    private static Unrolled unroll(RecurrentCell cell, List<Value> steps, RecurrentState initial, boolean backward,
                                   SequenceLengths lengths) {
        int length = steps.size();
        Value[] hiddenByTime = new Value[length];
        RecurrentState state = initial;
        for (int i = 0; i < length; i++) {
            int t = backward ? length - 1 - i : i;
            RecurrentState next = cell.step(state, steps.get(t));
            if (lengths == null) {
                state = next;
                hiddenByTime[t] = state.hidden();
            } else {
                state = lengths.keepPastTheEnd(t, state, next);
                hiddenByTime[t] = lengths.zeroPastTheEnd(t, next.hidden());
            }
        }
        return new Unrolled(List.of(hiddenByTime), state);
    }

    /** Y: [seq, directions, batch, hidden], or [batch, seq, directions, hidden] with batch first. */
    private Value sequenceOutput(List<Unrolled> unrolled) {
        int timeAxis = spec.timeAxis();
        int directionAxis = timeAxis + 1;
        List<Value> times = new ArrayList<>();
        for (int t = 0; t < spec.sequenceLength(); t++) {
            List<Value> directions = new ArrayList<>(unrolled.size());
            for (Unrolled direction : unrolled) {
                directions.add(typed.unsqueeze(direction.hiddenByTime().get(t), timeAxis, directionAxis));
            }
            times.add(typed.concat(directions, directionAxis));
        }
        return typed.concat(times, timeAxis);
    }

    /** Y_h or Y_c: [directions, batch, hidden], or [batch, directions, hidden] with batch first. */
    private Value stateOutput(List<Unrolled> unrolled, Function<RecurrentState, Value> part) {
        int axis = spec.stateDirectionAxis();
        List<Value> directions = new ArrayList<>(unrolled.size());
        for (Unrolled direction : unrolled) {
            directions.add(typed.unsqueeze(part.apply(direction.last()), axis));
        }
        return typed.concat(directions, axis);
    }

    private boolean isRead(int outputIndex) {
        return outputIndex < node.outputs().size() && node.output(outputIndex) != null && node.output(outputIndex).isUsed();
    }
}
