package dev.tern.onnx.internal;

import dev.tern.ir.Value;
import java.util.HashMap;
import java.util.Map;

/**
 * The values a graph can name: its own (inputs, initializers, node outputs) and, through the
 * enclosing scopes, those of the graphs around a subgraph. Inner names shadow outer ones.
 *
 * <p>An open root scope stands for values defined somewhere this decoder does not look: a name
 * found nowhere becomes a free value there, one per name, shared by every reader.
 */
final class Scope {
    private final Scope outer;
    private final boolean open;
    private final Map<String, Value> values = new HashMap<>();

    private Scope(Scope outer, boolean open) {
        this.outer = outer;
        this.open = open;
    }

    static Scope root() {
        return new Scope(null, false);
    }

    /** A root scope in which any name not defined by the graphs below is a free value. */
    static Scope open() {
        return new Scope(null, true);
    }

    Scope child() {
        return new Scope(this, false);
    }

    /** The value named {@code name} here or in an enclosing scope, or {@code null}. */
    Value lookup(String name) {
        Scope scope = this;
        while (true) {
            Value value = scope.values.get(name);
            if (value != null) {
                return value;
            }
            if (scope.outer == null) {
                return scope.open ? scope.defineFree(name) : null;
            }
            scope = scope.outer;
        }
    }

    /** The value named {@code name} in this scope only, or {@code null}. */
    Value local(String name) {
        return values.get(name);
    }

    void define(String name, Value value) {
        values.put(name, value);
    }

    private Value defineFree(String name) {
        Value free = new Value(name);
        values.put(name, free);
        return free;
    }
}
