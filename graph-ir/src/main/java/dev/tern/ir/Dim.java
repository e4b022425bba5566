package dev.tern.ir;

import java.util.Objects;

/** One dimension of a {@link Shape}: a known size, a symbolic name, or unknown. */
public sealed interface Dim permits Dim.Known, Dim.Symbolic, Dim.Unknown {

    /** A dimension whose size is known. */
    record Known(long size) implements Dim {
        public Known {
            if (size < 0) {
                throw new IrException("dimension size must be >= 0, found " + size);
            }
        }

        @Override
        public String toString() {
            return Long.toString(size);
        }
    }

    /** A dimension named by a symbol ("batch", "sequence") whose size is fixed at run time. */
    record Symbolic(String name) implements Dim {
        public Symbolic {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IrException("a symbolic dimension needs a non-empty name");
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A dimension about which nothing is known. */
    record Unknown() implements Dim {
        @Override
        public String toString() {
            return "?";
        }
    }

    Dim UNKNOWN = new Unknown();

    static Dim of(long size) {
        return new Known(size);
    }

    static Dim of(String symbol) {
        return new Symbolic(symbol);
    }

    /** Whether the size is known. */
    default boolean isKnown() {
        return this instanceof Known;
    }
}
