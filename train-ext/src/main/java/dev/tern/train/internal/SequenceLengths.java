package dev.tern.train.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;

import java.util.List;

/**
 * A recurrent op's {@code sequence_lens}: batch element b runs only its first len_b time steps.
 * Unrolled over the full length, a step at time t updates the state only where t < len_b and
 * keeps it elsewhere, and its output is zero there, as ONNX Runtime's kernels do. Because a
 * step past the end keeps the state, this holds for the reverse direction as well: the state
 * stays initial until t reaches len_b - 1.
 */
final class SequenceLengths {
    private final Ops ops;
    private final Value lengths;

    private SequenceLengths(Ops ops, Value lengths) {
        this.ops = ops;
        this.lengths = lengths;
    }

    /** The lengths as int64, converted once. */
    static SequenceLengths of(Ops ops, Value sequenceLens) {
        return new SequenceLengths(ops, ops.cast(sequenceLens, ElementType.INT64));
    }

    /** The state after step {@code t}: {@code next} where the sequence runs at t, {@code previous} elsewhere. */
    RecurrentState keepPastTheEnd(long t, RecurrentState previous, RecurrentState next) {
        Value running = running(t, next.hidden());
        Value cell = next.cell() == null ? null : select(running, next.cell(), previous.cell());
        return new RecurrentState(select(running, next.hidden(), previous.hidden()), cell);
    }

    /** The output of step {@code t}: {@code hidden} where the sequence runs at t, zero elsewhere. */
    Value zeroPastTheEnd(long t, Value hidden) {
        return select(running(t, hidden), hidden, null);
    }

    /** t < len_b, shaped [batch, 1] to broadcast over a [batch, hidden] state. */
    private Value running(long t, Value like) {
        Value running = ops.unsqueeze(ops.op("Less", ops.emitter().int64Scalar(t), lengths), 1);
        running.setType(ValueType.tensor(ElementType.BOOL, Shape.of(ValueTypes.dims(like).get(0), Dim.of(1))));
        return running;
    }

    /** {@code a} where {@code condition}, else {@code b} ({@code null} for zeros), typed like {@code a}. */
    private Value select(Value condition, Value a, Value b) {
        Value otherwise = b == null ? ops.scalarLike(0, a) : b;
        Value selected = ops.op("Where", condition, a, otherwise);
        selected.setType(a.type());
        return selected;
    }
}
