package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;

/**
 * One element of a small integer tensor whose contents inference follows (a shape computed by
 * Shape, Gather and Concat): a number of any sign, or a dimension that is symbolic or unknown.
 *
 * @param symbol {@code null} when the element is the number {@code number}
 */
record IntElement(long number, Dim symbol) {
    static final IntElement UNKNOWN = new IntElement(0, Dim.UNKNOWN);

    static IntElement of(long number) {
        return new IntElement(number, null);
    }

    /** The element that equals {@code dim}: a number when it is known. */
    static IntElement of(Dim dim) {
        return dim instanceof Dim.Known known ? of(known.size()) : new IntElement(0, dim);
    }

    boolean isNumber() {
        return symbol == null;
    }

    /** The element read as a dimension size; a negative number is no size and reads as unknown. */
    Dim asDim() {
        if (symbol != null) {
            return symbol;
        }
        return number >= 0 ? Dim.of(number) : Dim.UNKNOWN;
    }

    @Override
    public String toString() {
        return symbol == null ? Long.toString(number) : symbol.toString();
    }
}
