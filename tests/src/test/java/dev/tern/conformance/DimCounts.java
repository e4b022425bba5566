package dev.tern.conformance;

import java.util.Locale;

/**
 * What shape inference found for the values one op type produced, counted against ONNX
 * Runtime's: how many values, how many inference left untyped, and how each of ORT's
 * dimensions was inferred (known and equal, symbolic, unknown). Every dimension of every value
 * lands in exactly one of the last three, so a rule that falls back to "unknown" moves counts
 * without changing their sum.
 */
final class DimCounts {
    private int values;
    private int untyped;
    private int known;
    private int symbolic;
    private int unknown;

    void value() {
        values++;
    }

    /** A value inference left untyped, whose {@code rank} dimensions are therefore unknown. */
    void untyped(int rank) {
        untyped++;
        unknown += rank;
    }

    void known() {
        known++;
    }

    void symbolic() {
        symbolic++;
    }

    void unknown(int dims) {
        unknown += dims;
    }

    void add(DimCounts other) {
        values += other.values;
        untyped += other.untyped;
        known += other.known;
        symbolic += other.symbolic;
        unknown += other.unknown;
    }

    int values() {
        return values;
    }

    int untypedValues() {
        return untyped;
    }

    int knownDims() {
        return known;
    }

    int symbolicDims() {
        return symbolic;
    }

    int unknownDims() {
        return unknown;
    }

    /** The committed form: "values 12, untyped 0, known 30, symbolic 0, unknown 2". */
    String committed() {
        return String.format(Locale.ROOT, "values %d, untyped %d, known %d, symbolic %d, unknown %d",
                values, untyped, known, symbolic, unknown);
    }
}
