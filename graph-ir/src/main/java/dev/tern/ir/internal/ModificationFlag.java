package dev.tern.ir.internal;

/**
 * Whether one IR object changed since it was last marked unmodified. Every mutable IR object
 * holds one and sets it from each of its mutators; {@code Model.isModified()} asks all of them.
 * A new flag is set: an object made in code is not one read from a file.
 */
public final class ModificationFlag {
    private boolean set = true;

    public void mark() {
        set = true;
    }

    public void clear() {
        set = false;
    }

    public boolean isSet() {
        return set;
    }
}
