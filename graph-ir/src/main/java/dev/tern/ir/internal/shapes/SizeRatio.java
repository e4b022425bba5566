package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;

import java.util.ArrayList;
import java.util.List;

/**
 * Division of dimension products, for Reshape's -1: the known sizes divide, and a symbol on
 * both sides cancels, so [batch, seq, 384] reshaped to [batch, seq, 12, -1] gives 32 and
 * [batch, 4, 8] to [-1, 8] gives nothing better than unknown (batch·4 has no name).
 */
final class SizeRatio {
    private SizeRatio() {
    }

    /** The dimension that makes {@code others} hold as many elements as {@code total}. */
    static Dim remaining(List<Dim> total, List<Dim> others, NodeContext node) {
        long knownTotal = 1;
        List<Dim> symbols = new ArrayList<>();
        for (Dim dim : total) {
            if (dim.isKnown()) {
                knownTotal = Math.multiplyExact(knownTotal, Dims.size(dim));
            } else if (dim instanceof Dim.Symbolic) {
                symbols.add(dim);
            } else {
                return Dim.UNKNOWN;
            }
        }
        long knownOthers = 1;
        for (Dim dim : others) {
            if (dim.isKnown()) {
                knownOthers = Math.multiplyExact(knownOthers, Dims.size(dim));
            } else if (!symbols.remove(dim)) {
                // An unknown, or a symbol the input does not have: no telling what is left.
                return Dim.UNKNOWN;
            }
        }
        if (knownOthers == 0) {
            return Dim.UNKNOWN;
        }
        if (knownTotal % knownOthers != 0) {
            if (symbols.isEmpty()) {
                throw node.conflict("cannot reshape " + total + " elements into " + others + " times a whole number");
            }
            return Dim.UNKNOWN;
        }
        long ratio = knownTotal / knownOthers;
        if (symbols.isEmpty()) {
            return Dim.of(ratio);
        }
        return symbols.size() == 1 && ratio == 1 ? symbols.get(0) : Dim.UNKNOWN;
    }

    /** {@code a / b} when both are known and divide evenly, {@code a} when {@code b} is 1, else unknown. */
    static Dim divide(Dim a, Dim b) {
        if (Dims.isOne(b)) {
            return a;
        }
        if (a.isKnown() && b.isKnown() && Dims.size(b) != 0 && Dims.size(a) % Dims.size(b) == 0) {
            return Dim.of(Dims.size(a) / Dims.size(b));
        }
        return Dim.UNKNOWN;
    }
}
