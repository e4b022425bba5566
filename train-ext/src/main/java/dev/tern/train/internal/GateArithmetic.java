package dev.tern.train.internal;

import dev.tern.ir.Value;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The arithmetic the three recurrent cells share: gate blocks cut from stacked tensors,
 * recurrent products, clipped activations. A {@code null} operand is a zero tensor (an omitted
 * bias or peephole, the state before the first step without an initial state): sums skip
 * it and products with it are {@code null}, so no zeros are ever materialized and the first
 * step emits only what it needs.
 */
final class GateArithmetic {
    private final TypedOps ops;
    private final long hiddenSize;
    private final OptionalDouble clip;

    GateArithmetic(TypedOps ops, long hiddenSize, OptionalDouble clip) {
        this.ops = ops;
        this.hiddenSize = hiddenSize;
        this.clip = clip;
    }

    /** The sum of the terms that are present; {@code null} when none is. */
    Value sum(Value... terms) {
        Value total = null;
        for (Value term : terms) {
            if (term != null) {
                total = total == null ? term : ops.add(total, term);
            }
        }
        return total;
    }

    /** The elementwise product; {@code null} when either factor is zero. */
    Value product(Value a, Value b) {
        return a == null || b == null ? null : ops.mul(a, b);
    }

    /** 1 - x. */
    Value complement(Value x) {
        return ops.sub(ops.scalarLike(1, x), x);
    }

    /** state · kernel; {@code null} when the state is zero. */
    Value recurrence(Value state, Value kernel) {
        return state == null ? null : ops.matMul(state, kernel);
    }

    /**
     * Cuts the last axis of {@code stacked}, which stacks gate blocks of hidden_size each, into
     * pieces of {@code blocks[i]} blocks; a zero tensor gives zero pieces.
     */
    List<Value> splitBlocks(Value stacked, int... blocks) {
        if (stacked == null) {
            return Collections.nCopies(blocks.length, null);
        }
        long[] sizes = Arrays.stream(blocks).mapToLong(count -> count * hiddenSize).toArray();
        return ops.split(stacked, ValueTypes.rank(stacked) - 1, sizes);
    }

    /** A gate's activation of its pre-activation, clipped first when the node sets clip. */
    Value gate(GateActivation activation, Value preactivation) {
        Value input = clip.isPresent() ? ops.clip(preactivation, clip.getAsDouble()) : preactivation;
        return activation.apply(ops, input);
    }

    /** An activation without the clip, for LSTM's output h(C), which ONNX Runtime does not clip. */
    Value unclipped(GateActivation activation, Value x) {
        return activation.apply(ops, x);
    }
}
